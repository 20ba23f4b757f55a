import Yams

/// A YAML node being read as one configuration field: typed reads that fail with the field's
/// dotted path and where the value came from.
struct ConfigurationNode {
    let node: Node
    let field: String
    let context: ConfigurationReadContext

    var origin: String? {
        if let flag = context.overrideOrigins[field] { return flag }
        return node.mark.map { "line \($0.line)" }
    }

    func error(_ problem: String) -> ConfigurationError {
        ConfigurationError(field: field, problem: problem, origin: origin)
    }

    func child(_ key: String, _ node: Node) -> ConfigurationNode {
        ConfigurationNode(node: node, field: field.isEmpty ? key : "\(field).\(key)", context: context)
    }

    /// The node at a dotted path below this one (`features[2].length`), if the YAML has it.
    func descendant(_ path: String) -> ConfigurationNode? {
        var current = self
        var rest = path[...]
        if rest.hasPrefix("kafka.properties.") {
            guard case .mapping(let kafka) = node, let properties = kafka[Node("kafka")]?.mapping?[Node("properties")] else { return nil }
            let key = String(rest.dropFirst("kafka.properties.".count))
            return properties[Node(key)].map { ConfigurationNode(node: $0, field: path, context: context) }
        }
        while !rest.isEmpty {
            let segment = rest.prefix { $0 != "." }
            rest = rest.dropFirst(segment.count).drop { $0 == "." }
            var key = segment
            var index: Int?
            if let bracket = segment.firstIndex(of: "[") {
                key = segment[..<bracket]
                index = Int(segment[segment.index(after: bracket)...].dropLast())
            }
            guard case .mapping(let mapping) = current.node, let value = mapping[Node(String(key))] else { return nil }
            current = current.child(String(key), value)
            if let index {
                guard case .sequence(let sequence) = value, index < sequence.count else { return nil }
                current = ConfigurationNode(node: sequence[index], field: "\(current.field)[\(index)]", context: context)
            }
        }
        return current
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            return true
        }
        return false
    }

    /// The members of a mapping, rejecting keys outside `allowed` (with a suggestion when one is
    /// close) and duplicate keys.
    func mapping(allowed: [String]) throws(ConfigurationError) -> [String: ConfigurationNode] {
        if isNull { return [:] }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kind)") }
        var members: [String: ConfigurationNode] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error("keys must be plain strings") }
            let member = child(key.string, value)
            guard allowed.contains(key.string) else {
                let suggestion = Self.closest(to: key.string, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                throw member.error("unknown key\(suggestion) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard members[key.string] == nil else { throw member.error("appears twice") }
            members[key.string] = member
        }
        return members
    }

    /// The members of a mapping of free-form string keys.
    func stringMapping() throws(ConfigurationError) -> [(key: String, value: ConfigurationNode)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kind)") }
        var members: [(String, ConfigurationNode)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error("keys must be plain strings") }
            guard !members.contains(where: { $0.0 == key.string }) else { throw child(key.string, value).error("appears twice") }
            members.append((key.string, child(key.string, value)))
        }
        return members
    }

    func sequence() throws(ConfigurationError) -> [ConfigurationNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kind)") }
        return sequence.enumerated().map { index, element in
            ConfigurationNode(node: element, field: "\(field)[\(index)]", context: context)
        }
    }

    /// A scalar as text, with `${ENV_VAR}` and `${file:PATH}` references expanded.
    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string, found \(kind)") }
        do {
            return try SecretReference.expand(scalar.string, environment: context.environment, readFile: context.readFile)
        } catch {
            throw self.error(error.problem)
        }
    }

    func nonEmptyString() throws(ConfigurationError) -> String {
        let value = try string()
        guard !value.trimmingSpaces.isEmpty else { throw error("must not be empty") }
        return value
    }

    func int(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let text = try string()
        guard let value = Int(text.trimmingSpaces) else { throw error("expected an integer, got '\(text)'") }
        guard range.contains(value) else { throw error("must be between \(range.lowerBound) and \(range.upperBound), got \(value)") }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        let text = try string()
        guard let value = Double(text.trimmingSpaces), value.isFinite else { throw error("expected a number, got '\(text)'") }
        guard range.contains(value) else { throw error("must be between \(range.lowerBound.shortText) and \(range.upperBound.shortText), got \(value.shortText)") }
        return value
    }

    func bool() throws(ConfigurationError) -> Bool {
        let text = try string().trimmingSpaces
        switch text {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("expected true or false, got '\(text)'")
        }
    }

    func float() throws(ConfigurationError) -> Float {
        let text = try string().trimmingSpaces
        switch text {
        case ".nan", ".NaN", ".NAN", "nan", "NaN": return .nan
        default:
            guard let value = Float(text) else { throw error("expected a number, got '\(text)'") }
            return value
        }
    }

    func oneOf<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) throws(ConfigurationError) -> Value where Value.RawValue == String {
        let text = try string()
        guard let value = Value(rawValue: text) else {
            let choices = Value.allCases.map(\.rawValue)
            let suggestion = Self.closest(to: text, among: choices).map { "; did you mean '\($0)'?" } ?? ""
            throw error("must be one of \(choices.joined(separator: ", ")), got '\(text)'\(suggestion)")
        }
        return value
    }

    private var kind: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The candidate within two edits of `word`, if any.
    static func closest(to word: String, among candidates: [String]) -> String? {
        candidates
            .map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(2, word.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let lhs = Array(lhs)
        let rhs = Array(rhs)
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        for (row, left) in lhs.enumerated() {
            var current = [row + 1] + Array(repeating: 0, count: rhs.count)
            for (column, right) in rhs.enumerated() {
                current[column + 1] = min(previous[column + 1] + 1, current[column] + 1, previous[column] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}

/// What every node read needs: overrides' origins and the sources of secret references.
struct ConfigurationReadContext {
    var overrideOrigins: [String: String]
    var environment: [String: String]
    var readFile: @Sendable (String) throws -> String
}

extension String {
    var trimmingSpaces: String {
        var characters = self[...]
        while let first = characters.first, first == " " || first == "\t" { characters.removeFirst() }
        while let last = characters.last, last == " " || last == "\t" { characters.removeLast() }
        return String(characters)
    }
}

extension Double {
    var shortText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
