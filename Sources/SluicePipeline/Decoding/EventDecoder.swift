/// Decodes events of the configured format into feature rows: JSON with ``FeatureDecoder``,
/// Avro with an ``AvroPlan`` per writer schema (compiled on the schema's first event and kept),
/// Protobuf with the ``ProtobufPlan`` of the configured message type.
/// Used on one thread: the processor loop's.
final class EventDecoder {
    /// Why an event was not decoded.
    enum Failure: Error {
        /// The event cannot be decoded: it is a dead letter for this reason.
        case undecodable(FeatureDecodingError)
        /// Its writer schema cannot be had now (the registry is unreachable): the event must wait.
        case schemaUnavailable(String)
    }

    /// A writer schema's compiled plan, or why its events cannot be decoded.
    private enum Resolution {
        case plan(AvroPlan)
        case unusable(String)
    }

    let json: FeatureDecoder
    let schemas: EventSchemas
    private let target: FeatureRowTarget
    private var localPlan: AvroPlan?
    private var protobufPlan: ProtobufPlan?
    private var resolutions: [Int32: Resolution] = [:]
    /// The latest event's schema id and plan, as consecutive events mostly share their schema.
    private var latest: (id: Int32, plan: AvroPlan)?

    init(json: FeatureDecoder, schemas: EventSchemas) {
        self.json = json
        self.schemas = schemas
        target = FeatureRowTarget(spec: json.spec)
        switch schemas {
        case .localAvro(let text):
            localPlan = (try? AvroSchema.parse(json: text)).map { AvroPlan(schema: $0, target: target) }
        case .localProtobuf(let descriptorSet, let message):
            protobufPlan = try? ProtobufPlan(descriptors: ProtobufDescriptors(descriptorSet: descriptorSet), message: message, target: target)
        case .json, .registryAvro:
            break
        }
    }

    /// The number of floats one event fills.
    var width: Int { json.width }

    /// The model inputs a row fills: for Avro and Protobuf, a single float input.
    var layout: ModelInputLayout { json.layout }

    /// Decodes `payload` into `row` (``width`` floats); on failure the row's contents are
    /// unspecified.
    @inline(__always)
    func decode(_ payload: UnsafeRawBufferPointer, into row: UnsafeMutableBufferPointer<Float>) throws(Failure) {
        switch schemas {
        case .json:
            try undecodable { () throws(FeatureDecodingError) in try json.decode(payload, into: row) }
        case .localAvro:
            try undecodable { () throws(FeatureDecodingError) in try localPlan!.decode(payload, from: 0, into: row) }
        case .localProtobuf:
            try undecodable { () throws(FeatureDecodingError) in try protobufPlan!.decode(payload, from: 0, into: row) }
        case .registryAvro(let registry):
            let id = try undecodable { () throws(FeatureDecodingError) in try ConfluentFraming.schemaID(of: payload) }
            let plan: AvroPlan
            if let latest, latest.id == id {
                plan = latest.plan
            } else {
                plan = try resolve(id, registry: registry)
                latest = (id, plan)
            }
            try undecodable { () throws(FeatureDecodingError) in try plan.decode(payload, from: ConfluentFraming.headerLength, into: row) }
        }
    }

    @inline(__always)
    private func undecodable<R>(_ body: () throws(FeatureDecodingError) -> R) throws(Failure) -> R {
        do {
            return try body()
        } catch {
            throw .undecodable(error)
        }
    }

    /// The plan of schema `id`, asking the registry the first time.
    private func resolve(_ id: Int32, registry: SchemaRegistryClient) throws(Failure) -> AvroPlan {
        let resolution: Resolution
        if let known = resolutions[id] {
            resolution = known
        } else {
            do throws(SchemaLookupError) {
                resolution = Self.compile(try registry.schema(id: id), id: id, target: target)
            } catch {
                switch error {
                case .notFound(let message):
                    // Not kept: a producer may register the id later.
                    throw .undecodable(FeatureDecodingError(.unknownSchema, path: "$", offset: 1, detail: "schema \(id): \(message)"))
                case .unavailable(let message):
                    throw .schemaUnavailable("the schema registry cannot give schema \(id): \(message)")
                }
            }
            resolutions[id] = resolution
        }
        switch resolution {
        case .plan(let plan): return plan
        case .unusable(let reason): throw .undecodable(FeatureDecodingError(.unknownSchema, path: "$", offset: 1, detail: reason))
        }
    }

    private static func compile(_ schema: SchemaRegistryClient.Schema, id: Int32, target: FeatureRowTarget) -> Resolution {
        guard schema.type == "AVRO" else { return .unusable("schema \(id) is a \(schema.type) schema, not Avro") }
        do throws(AvroSchemaError) {
            return .plan(AvroPlan(schema: try AvroSchema.parse(json: schema.text), target: target))
        } catch {
            return .unusable("schema \(id) is not a usable Avro schema: \(error)")
        }
    }
}
