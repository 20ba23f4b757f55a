#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// How a ``LineLogHandler`` lays out one log event as one line (with its newline).
public protocol LogLineLayout: Sendable {
    /// The line for `event` of the logger `label`, with `metadata` merged from the handler, its
    /// provider and the call site.
    static func line(label: String, event: LogEvent, metadata: Logger.Metadata) -> String
}

/// A swift-log handler writing each event as one line laid out by `Layout`, to standard error in
/// one write(2) (so lines of concurrent loggers never interleave) or to a given function. The
/// metadata it hands the layout is the handler's, then its provider's, then the call site's, each
/// winning over the ones before.
public struct LineLogHandler<Layout: LogLineLayout>: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler for the logger `label` writing each line to standard error, or to `write`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write ?? { line in
            var line = line
            line.withUTF8 { bytes in _ = systemWrite(2, bytes.baseAddress, bytes.count) }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        write(Layout.line(label: label, event: event, metadata: merged))
    }
}

/// Now, as `2026-11-23T12:34:56.789Z`.
func logTimestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = now.tv_sec
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func padded(_ value: Int32, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
        + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
        + ".\(padded(Int32(now.tv_nsec / 1_000_000), 3))Z"
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
