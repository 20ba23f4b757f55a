import Foundation

/// Turns CSV data into the JSON events `sluice run` would receive, so that a profile made from a
/// CSV file is decoded by the very same ``FeatureDecoder`` as the stream.
///
/// The header names each column by a feature path (`amount`, `card.age_days`; dots make nested
/// objects). A cell that reads as a JSON number or `true`/`false` is that value, an empty cell is an
/// absent field (the feature's default applies, as for a missing field), anything else is a JSON
/// string (which the decoder refuses, as it would in an event). Fields may be quoted, with `""` for
/// a quote, as RFC 4180 has it.
public struct CSVEvents {
    private let header: [[Substring]]

    /// - Throws: ``ProfileError`` when the header is empty.
    public init(headerLine: Substring) throws(ProfileError) {
        let names = Self.fields(of: headerLine)
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw ProfileError("the CSV header must name every column by a feature path")
        }
        header = names.map { $0.split(separator: ".", omittingEmptySubsequences: false) }
    }

    /// The JSON event of one data line.
    public func event(line: Substring) throws(ProfileError) -> String {
        let cells = Self.fields(of: line)
        guard cells.count == header.count else {
            throw ProfileError("a CSV line has \(cells.count) fields where the header has \(header.count)")
        }
        var root = Node()
        for (path, cell) in zip(header, cells) where !cell.isEmpty {
            root.insert(Self.jsonValue(of: cell), at: path[...])
        }
        return root.json
    }

    /// The fields of one CSV line, unquoted.
    static func fields(of line: Substring) -> [String] {
        let characters = Array(line.hasSuffix("\r") ? line.dropLast() : line)
        var fields: [String] = []
        var field = ""
        var quoted = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character != "\"" {
                    field.append(character)
                } else if index < characters.count && characters[index] == "\"" {
                    field.append("\"")
                    index += 1
                } else {
                    quoted = false
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }

    private static func jsonValue(of cell: String) -> String {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if trimmed == "true" || trimmed == "false" || Self.isJSONNumber(trimmed) { return trimmed }
        var quoted = "\""
        for scalar in cell.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20: quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// RFC 8259's number grammar.
    private static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") { bytes = bytes.dropFirst() } else if digits() == 0 { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }

    /// A JSON object under construction: members in header order, nested by path.
    private struct Node {
        var members: [(key: Substring, value: Member)] = []

        enum Member {
            case value(String)
            case object(Node)
        }

        mutating func insert(_ value: String, at path: ArraySlice<Substring>) {
            let key = path.first!
            if path.count == 1 {
                members.append((key, .value(value)))
                return
            }
            var child = Node()
            if let index = members.firstIndex(where: { $0.key == key }), case .object(let existing) = members[index].value {
                child = existing
                child.insert(value, at: path.dropFirst())
                members[index].value = .object(child)
            } else {
                child.insert(value, at: path.dropFirst())
                members.append((key, .object(child)))
            }
        }

        var json: String {
            "{" + members.map { key, value in
                let rendered = switch value {
                case .value(let text): text
                case .object(let node): node.json
                }
                return "\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\":" + rendered
            }.joined(separator: ",") + "}"
        }
    }
}
