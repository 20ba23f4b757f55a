/// Where the writer schemas of Avro and Protobuf events come from (`input.format`,
/// `input.schema`, `input.message`, `input.schema_registry`): nowhere for JSON, one local schema,
/// or a Schema Registry.
public enum EventSchemas: Sendable {
    /// JSON events: no schema.
    case json
    /// Avro records all written with this schema's text, bare or after the Confluent header
    /// (whose schema id is then not checked).
    case localAvro(String, framing: SluiceConfiguration.InputFraming = .bare)
    /// Avro records in the Confluent wire format, their schemas looked up by id.
    case registryAvro(SchemaRegistryClient)
    /// Protobuf messages in the Confluent wire format, their schemas looked up by id (in their
    /// serialized form) and their message type named by each event's message-index list.
    case registryProtobuf(SchemaRegistryClient)
    /// Protobuf messages of type `message` (its full name) of the serialized descriptor set, bare
    /// or after the Confluent header and message-index list (neither the id nor the indexes are
    /// checked against the message).
    case localProtobuf(descriptorSet: [UInt8], message: String, framing: SluiceConfiguration.InputFraming = .bare)

    /// The schemas `input` names, reading a local schema file with `readFile` and checking that
    /// it can be used for `features` (the model inputs, which every format fills alike).
    ///
    /// - Throws: ``EventSchemasError`` naming the field.
    public static func make(
        for input: SluiceConfiguration.Input,
        features: FeatureDecoder,
        readFile: (String) throws -> [UInt8]
    ) throws(EventSchemasError) -> EventSchemas {
        if input.format == .json { return .json }
        if let registry = input.schemaRegistry {
            let client = SchemaRegistryClient(settings: registry)
            return input.format == .avro ? .registryAvro(client) : .registryProtobuf(client)
        }
        guard let path = input.schema else { throw EventSchemasError("input.schema", "\(input.format.rawValue) input needs a schema file") }
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw EventSchemasError("input.schema", "cannot read '\(path)': \(error)")
        }
        if input.format == .protobuf {
            let message = input.message ?? ""
            do throws(ProtobufSchemaError) {
                _ = try ProtobufPlan(descriptorSet: bytes, message: message, features: features)
            } catch {
                throw EventSchemasError("input.message", "'\(path)': \(error)")
            }
            return .localProtobuf(descriptorSet: bytes, message: message, framing: input.framing)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do throws(AvroSchemaError) {
            _ = try AvroSchema.parse(json: text)
        } catch {
            throw EventSchemasError("input.schema", "'\(path)' is not an Avro schema: \(error)")
        }
        return .localAvro(text, framing: input.framing)
    }
}

/// A local schema that cannot be used, or one missing.
public struct EventSchemasError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String

    init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}
