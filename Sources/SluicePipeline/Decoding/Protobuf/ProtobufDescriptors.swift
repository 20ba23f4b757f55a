import SwiftProtobuf

/// The messages of a Protobuf descriptor set (what `protoc --include_imports
/// --descriptor_set_out` writes), as far as decoding needs them: each field's number, name, type
/// and whether an absent field is missing (explicit presence) or zero (proto3's implicit
/// presence).
struct ProtobufDescriptors {
    struct Field {
        var name: String
        var number: Int
        var type: Google_Protobuf_FieldDescriptorProto.TypeEnum
        var isRepeated: Bool
        /// Whether absence is visible: proto2 fields, proto3 `optional` and oneof members, and
        /// message fields. Without, an absent scalar is its zero value.
        var hasPresence: Bool
        /// For a message field: the message's full name, without the leading dot.
        var messageType: String?
    }

    /// Each message's fields, by full name (`package.Outer.Inner`).
    private(set) var messages: [String: [Field]] = [:]

    /// Reads a serialized `FileDescriptorSet`.
    init(descriptorSet bytes: [UInt8]) throws(ProtobufSchemaError) {
        let set: Google_Protobuf_FileDescriptorSet
        do {
            set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        } catch {
            throw ProtobufSchemaError("not a descriptor set: \(error)")
        }
        for file in set.file { add(file) }
    }

    private init() {}

    /// Reads one serialized `FileDescriptorProto` (a Schema Registry's Protobuf schema), and the
    /// full name of the message the Confluent message-index list `indexes` names in it (`[1, 0]`:
    /// the first type nested in the file's second message). Types the file imports are not
    /// known: a feature cannot be read through one.
    static func file(_ bytes: [UInt8], messageAt indexes: [Int]) throws(ProtobufSchemaError) -> (descriptors: ProtobufDescriptors, message: String) {
        let file: Google_Protobuf_FileDescriptorProto
        do {
            file = try Google_Protobuf_FileDescriptorProto(serializedBytes: bytes)
        } catch {
            throw ProtobufSchemaError("not a file descriptor: \(error)")
        }
        var descriptors = ProtobufDescriptors()
        descriptors.add(file)
        var name = prefix(of: file)
        var level = file.messageType
        for (depth, index) in indexes.enumerated() {
            guard index < level.count else {
                throw ProtobufSchemaError("message index \(index) at depth \(depth), where the schema has \(level.count) message types")
            }
            name += (depth == 0 ? "" : ".") + level[index].name
            level = level[index].nestedType
        }
        return (descriptors, name)
    }

    private mutating func add(_ file: Google_Protobuf_FileDescriptorProto) {
        let isProto3 = file.syntax == "proto3" || file.syntax == "editions"
        for message in file.messageType { add(message, prefix: Self.prefix(of: file), isProto3: isProto3) }
    }

    private static func prefix(of file: Google_Protobuf_FileDescriptorProto) -> String {
        file.package.isEmpty ? "" : file.package + "."
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, prefix: String, isProto3: Bool) {
        let name = prefix + message.name
        messages[name] = message.field.map { field in
            let isMessage = field.type == .message || field.type == .group
            return Field(
                name: field.name,
                number: Int(field.number),
                type: field.type,
                isRepeated: field.label == .repeated,
                hasPresence: field.label != .repeated && (!isProto3 || isMessage || field.hasOneofIndex),
                messageType: isMessage ? String(field.typeName.drop { $0 == "." }) : nil
            )
        }
        for nested in message.nestedType { add(nested, prefix: name + ".", isProto3: isProto3) }
    }
}

/// Why a descriptor set or message name cannot be used.
public struct ProtobufSchemaError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
