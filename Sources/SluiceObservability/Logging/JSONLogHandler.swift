#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// A swift-log handler writing one JSON object per line, for log shippers: `timestamp` (UTC,
/// RFC 3339 with milliseconds), `level`, `logger`, `message`, `source`, then every metadata key
/// (handler, provider and call site merged, the call site winning) as a top-level field; a key
/// that collides with the fixed fields is written as `metadata.<key>`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    private static let fixedFields: Set<String> = ["timestamp", "level", "logger", "message", "source"]

    /// A handler for the logger `label` writing each line to standard error, or to `write`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write ?? { line in
            var line = line
            // One write(2) per line, so lines of concurrent loggers never interleave.
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
        var line = "{\"timestamp\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\""
        line += ",\"logger\":\(JSONText.quoted(label)),\"message\":\(JSONText.quoted(event.message.description))"
        line += ",\"source\":\(JSONText.quoted(event.source))"
        for key in merged.keys.sorted() {
            let name = Self.fixedFields.contains(key) ? "metadata.\(key)" : key
            line += ",\(JSONText.quoted(name)):\(Self.json(merged[key]!))"
        }
        write(line + "}\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): JSONText.quoted(text)
        case .stringConvertible(let value): JSONText.quoted(value.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let members):
            "{" + members.keys.sorted().map { "\(JSONText.quoted($0)):\(json(members[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Now, as `2026-11-23T12:34:56.789Z`.
    static func timestamp() -> String {
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
}
