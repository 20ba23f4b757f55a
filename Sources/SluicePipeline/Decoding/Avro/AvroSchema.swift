import Foundation

/// An Avro schema (the specification's JSON form, an `.avsc` file or a Schema Registry answer),
/// as far as decoding needs it: logical types read as their underlying type, and documentation,
/// aliases and defaults are ignored (the reader's defaults are the features' own).
indirect enum AvroSchema {
    case null, boolean, int, long, float, double, bytes, string
    case record(AvroRecordSchema)
    case enumeration(symbols: [String])
    case array(items: AvroSchema)
    case map(values: AvroSchema)
    case fixed(size: Int)
    case union([AvroSchema])

    /// Parses a schema from its JSON text; throws a description of the first problem.
    static func parse(json: String) throws(AvroSchemaError) -> AvroSchema {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw AvroSchemaError("not JSON: \(error.localizedDescription)")
        }
        var parser = Parser()
        return try parser.schema(object, namespace: nil)
    }

    /// A name for messages: the type's name as the specification spells it.
    var name: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .record(let record): "record \(record.fullName)"
        case .enumeration: "enum"
        case .array(let items): "array of \(items.name)"
        case .map: "map"
        case .fixed: "fixed"
        case .union(let branches): "union of " + branches.map(\.name).joined(separator: ", ")
        }
    }

    /// Reads the JSON form, resolving named types in their namespaces (full and short names).
    private struct Parser {
        var named: [String: AvroSchema] = [:]

        mutating func schema(_ json: Any, namespace: String?) throws(AvroSchemaError) -> AvroSchema {
            if let name = json as? String { return try reference(name, namespace: namespace) }
            if let branches = json as? [Any] {
                var parsed: [AvroSchema] = []
                for branch in branches { parsed.append(try schema(branch, namespace: namespace)) }
                return .union(parsed)
            }
            guard let object = json as? [String: Any], let type = object["type"] else {
                throw AvroSchemaError("expected a type name, a union or an object with a \"type\", found \(json)")
            }
            guard let typeName = type as? String else { return try schema(type, namespace: namespace) }
            switch typeName {
            case "record", "error":
                return try record(object, namespace: namespace)
            case "enum":
                guard let symbols = object["symbols"] as? [String], !symbols.isEmpty else { throw AvroSchemaError("an enum needs symbols") }
                return try define(object, namespace: namespace, as: .enumeration(symbols: symbols)).schema
            case "fixed":
                guard let size = object["size"] as? Int, size >= 0 else { throw AvroSchemaError("a fixed needs a size") }
                return try define(object, namespace: namespace, as: .fixed(size: size)).schema
            case "array":
                guard let items = object["items"] else { throw AvroSchemaError("an array needs items") }
                return .array(items: try schema(items, namespace: namespace))
            case "map":
                guard let values = object["values"] else { throw AvroSchemaError("a map needs values") }
                return .map(values: try schema(values, namespace: namespace))
            default:
                return try reference(typeName, namespace: namespace)
            }
        }

        private mutating func record(_ object: [String: Any], namespace: String?) throws(AvroSchemaError) -> AvroSchema {
            let record = AvroRecordSchema(fullName: "")
            let (schema, recordNamespace) = try define(object, namespace: namespace, as: .record(record))
            record.fullName = Self.fullName(object["name"] as! String, namespace: recordNamespace)
            guard let fields = object["fields"] as? [Any] else { throw AvroSchemaError("record \(record.fullName) needs fields") }
            for field in fields {
                guard let field = field as? [String: Any], let name = field["name"] as? String, let type = field["type"] else {
                    throw AvroSchemaError("record \(record.fullName) has a field without a name or type")
                }
                record.fields.append((name, try self.schema(type, namespace: recordNamespace)))
            }
            return schema
        }

        /// Registers a named type before its body is read, so that a record may refer to itself.
        private mutating func define(_ object: [String: Any], namespace: String?, as schema: AvroSchema) throws(AvroSchemaError) -> (schema: AvroSchema, namespace: String?) {
            guard let name = object["name"] as? String, !name.isEmpty else { throw AvroSchemaError("a named type needs a name") }
            let ownNamespace = name.contains(".") ? String(name[..<name.lastIndex(of: ".")!]) : (object["namespace"] as? String ?? namespace)
            let full = Self.fullName(name, namespace: ownNamespace)
            guard named[full] == nil else { throw AvroSchemaError("type \(full) is defined twice") }
            named[full] = schema
            return (schema, ownNamespace)
        }

        private func reference(_ name: String, namespace: String?) throws(AvroSchemaError) -> AvroSchema {
            switch name {
            case "null": return .null
            case "boolean": return .boolean
            case "int": return .int
            case "long": return .long
            case "float": return .float
            case "double": return .double
            case "bytes": return .bytes
            case "string": return .string
            default:
                if let schema = named[Self.fullName(name, namespace: namespace)] ?? named[name] { return schema }
                throw AvroSchemaError("unknown type '\(name)'")
            }
        }

        private static func fullName(_ name: String, namespace: String?) -> String {
            guard !name.contains("."), let namespace, !namespace.isEmpty else { return name }
            return "\(namespace).\(name)"
        }
    }
}

/// A record type, a class so that a recursive record can refer to itself.
final class AvroRecordSchema {
    var fullName: String
    var fields: [(name: String, type: AvroSchema)] = []

    init(fullName: String) {
        self.fullName = fullName
    }
}

/// Why a schema text is not a usable Avro schema.
public struct AvroSchemaError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
