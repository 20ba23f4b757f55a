import Logging

/// Readable log lines for a terminal.
public typealias TextLogHandler = LineLogHandler<TextLogLine>

/// `2026-11-23T12:34:56.789Z warning sluice: message key=value …`: the logger's label (what the
/// process is) rather than the Swift module that logged, then the metadata keys sorted. A
/// multi-line message stays multi-line.
public enum TextLogLine: LogLineLayout {
    public static func line(label: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var line = "\(logTimestamp()) \(event.level.rawValue) \(label): \(event.message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(text(metadata[key]!))"
        }
        return line + "\n"
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): "[" + values.map(text).joined(separator: ", ") + "]"
        case .dictionary(let members): "{" + members.keys.sorted().map { "\($0): \(text(members[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
