import Logging
import SluicePipeline

/// Log lines as one JSON object each, for log shippers.
public typealias JSONLogHandler = LineLogHandler<JSONLogLine>

/// One JSON object per line: `timestamp` (UTC, RFC 3339 with milliseconds), `level`, `logger`,
/// `message`, `source`, then every metadata key as a top-level field; a key that collides with the
/// fixed fields is written as `metadata.<key>`.
public enum JSONLogLine: LogLineLayout {
    private static let fixedFields: Set<String> = ["timestamp", "level", "logger", "message", "source"]

    public static func line(label: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        var line = "{\"timestamp\":\"\(logTimestamp())\",\"level\":\"\(event.level.rawValue)\""
        line += ",\"logger\":\(JSONString.quoted(label)),\"message\":\(JSONString.quoted(event.message.description))"
        line += ",\"source\":\(JSONString.quoted(event.source))"
        for key in metadata.keys.sorted() {
            let name = fixedFields.contains(key) ? "metadata.\(key)" : key
            line += ",\(JSONString.quoted(name)):\(json(metadata[key]!))"
        }
        return line + "}\n"
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): JSONString.quoted(text)
        case .stringConvertible(let value): JSONString.quoted(value.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let members):
            "{" + members.keys.sorted().map { "\(JSONString.quoted($0)):\(json(members[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}
