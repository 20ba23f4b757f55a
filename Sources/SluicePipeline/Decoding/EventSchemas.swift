/// Where the writer schemas of Avro and Protobuf events come from (`input.format`,
/// `input.schema`, `input.message`, `input.schema_registry`): nowhere for JSON, one local schema,
/// or a Schema Registry.
public enum EventSchemas: Sendable {
    /// JSON events: no schema.
    case json
    /// Bare Avro records (no Confluent framing), all written with this schema's text.
    case localAvro(String)
    /// Avro records in the Confluent wire format, their schemas looked up by id.
    case registryAvro(SchemaRegistryClient)
    /// Bare Protobuf messages of type `message` (its full name) of the serialized descriptor set.
    case localProtobuf(descriptorSet: [UInt8], message: String)

    /// The schemas `input` names for rows of `layout`, reading a local schema file with
    /// `readFile` and checking that it can be used.
    ///
    /// - Throws: ``EventSchemasError`` naming the field; also for Avro or Protobuf input to a
    ///   model whose inputs are not a single float input, which only JSON fills yet.
    public static func make(
        for input: SluiceConfiguration.Input,
        layout: ModelInputLayout,
        readFile: (String) throws -> [UInt8]
    ) throws(EventSchemasError) -> EventSchemas {
        if input.format == .json { return .json }
        guard layout.isFloatOnly, layout.inputs.count == 1 else {
            throw EventSchemasError("input.format", "\(input.format.rawValue) input fills a model's single float input; this model's inputs need json for now")
        }
        if input.format == .avro, let registry = input.schemaRegistry { return .registryAvro(SchemaRegistryClient(settings: registry)) }
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
                _ = try ProtobufPlan(descriptorSet: bytes, message: message, spec: FeatureSpec([]))
            } catch {
                throw EventSchemasError("input.message", "'\(path)': \(error)")
            }
            return .localProtobuf(descriptorSet: bytes, message: message)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do throws(AvroSchemaError) {
            _ = try AvroSchema.parse(json: text)
        } catch {
            throw EventSchemasError("input.schema", "'\(path)' is not an Avro schema: \(error)")
        }
        return .localAvro(text)
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
