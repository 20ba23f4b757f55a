import Foundation
import Yams

/// Reads topic definitions from `topics.yaml` in a directory (Sluice's `Topics/`):
///
/// ```yaml
/// topics:
///   - name: events            # required
///     partitions: 8           # required, at least 1
///     replication_factor: 3   # optional, default 1; the embedded cluster uses min(3, brokers)
///     configs:                # optional, passed to Kafka as is
///       retention.ms: "604800000"
/// ```
public enum KafkaTopicDefinitionFile {
    /// The file name looked for in the directory.
    public static let fileName = "topics.yaml"

    /// Loads and validates `directory/topics.yaml`.
    ///
    /// - Throws: ``KafkaError`` with ``KafkaError/Code/invalidArgument`` naming the file, the topic
    ///   and the field when the file is missing, malformed, or defines an invalid or duplicate topic.
    public static func load(fromDirectory directory: String) throws(KafkaError) -> [KafkaTopicDefinition] {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KafkaError(code: .invalidArgument, message: "\(path): cannot read the topic definitions: \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses and validates definitions from YAML text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(KafkaError) -> [KafkaTopicDefinition] {
        let file: FileContents
        do {
            file = try YAMLDecoder().decode(FileContents.self, from: text)
        } catch {
            throw KafkaError(code: .invalidArgument, message: "\(source): \(describe(error))")
        }
        var seen: Set<String> = []
        var definitions: [KafkaTopicDefinition] = []
        for (index, entry) in file.topics.enumerated() {
            let place = "\(source): topics[\(index)]"
            func invalid(_ field: String, _ problem: String) -> KafkaError {
                KafkaError(code: .invalidArgument, message: "\(place) (\(entry.name)).\(field) \(problem)")
            }
            guard isValidTopicName(entry.name) else {
                throw KafkaError(
                    code: .invalidArgument,
                    message: "\(place).name \"\(entry.name)\" is not a valid topic name (1-249 of a-z A-Z 0-9 . _ -, not \".\" or \"..\")"
                )
            }
            guard seen.insert(entry.name).inserted else { throw invalid("name", "is defined twice") }
            guard entry.partitions >= 1 else { throw invalid("partitions", "must be at least 1, not \(entry.partitions)") }
            let replicationFactor = entry.replicationFactor ?? 1
            guard replicationFactor >= 1 else {
                throw invalid("replication_factor", "must be at least 1, not \(replicationFactor)")
            }
            definitions.append(
                KafkaTopicDefinition(
                    name: entry.name, partitions: entry.partitions, replicationFactor: replicationFactor,
                    configs: entry.configs ?? [:]
                )
            )
        }
        return definitions
    }

    private static func isValidTopicName(_ name: String) -> Bool {
        guard (1...249).contains(name.utf8.count), name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Names the path of a decoding error (`topics[1].partitions`) instead of Swift's type dump.
    private static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .replacingOccurrences(of: ".[", with: "[")
                .trimmingPrefix(".").description
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "not valid YAML: \(error)"
        }
    }

    private struct FileContents: Decodable {
        var topics: [Entry]
    }

    private struct Entry: Decodable {
        var name: String
        var partitions: Int
        var replicationFactor: Int?
        var configs: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name, partitions, configs
            case replicationFactor = "replication_factor"
        }
    }
}
