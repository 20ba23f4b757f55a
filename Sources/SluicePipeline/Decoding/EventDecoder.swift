/// Decodes events of the configured format into rows of the model's inputs: JSON with
/// ``FeatureDecoder``,
/// Avro with an ``AvroPlan`` per writer schema (compiled on the schema's first event and kept),
/// Protobuf with the ``ProtobufPlan`` of the configured message type, or through a registry one
/// per schema and message-index list.
/// Used on one thread: the processor loop's, or `sluice score`'s.
public final class EventDecoder {
    /// Why an event was not decoded.
    public enum Failure: Error {
        /// The event cannot be decoded: it is a dead letter for this reason.
        case undecodable(FeatureDecodingError)
        /// Its writer schema cannot be had now (the registry is unreachable): the event must wait.
        case schemaUnavailable(String)
    }

    /// A writer schema's compiled plan, or why its events cannot be decoded.
    enum Resolution<Plan> {
        case plan(Plan)
        case unusable(String)
    }

    /// A registry's Protobuf schema and the message its events' index list names.
    struct ProtobufMessage: Hashable {
        var schemaID: Int32
        var indexes: [Int]
    }

    let json: FeatureDecoder
    public let schemas: EventSchemas
    private let target: FeatureRowTarget
    private var localPlan: AvroPlan?
    private var protobufPlan: ProtobufPlan?
    private var resolutions: [Int32: Resolution<AvroPlan>] = [:]
    /// The latest event's schema id and plan, as consecutive events mostly share their schema.
    private var latest: (id: Int32, plan: AvroPlan)?
    private var protobufResolutions: [ProtobufMessage: Resolution<ProtobufPlan>] = [:]
    /// The latest Protobuf event's schema id, packed index list and plan.
    private var latestProtobuf: (id: Int32, indexList: UInt64, plan: ProtobufPlan)?

    /// A decoder of events in the format `schemas` gives, into the rows of `json`'s inputs.
    public init(json: FeatureDecoder, schemas: EventSchemas) {
        self.json = json
        self.schemas = schemas
        target = FeatureRowTarget(features: json)
        // A local schema has been checked by EventSchemas.make; one that fails here decodes nothing.
        switch schemas {
        case .localAvro(let text, _):
            localPlan = (try? AvroSchema.parse(json: text)).map { AvroPlan(schema: $0, target: target) }
        case .localProtobuf(let descriptorSet, let message, _):
            protobufPlan = try? ProtobufPlan(descriptors: ProtobufDescriptors(descriptorSet: descriptorSet), message: message, target: target)
        case .json, .registryAvro, .registryProtobuf:
            break
        }
    }

    /// The model inputs a row fills, whatever the format.
    public var layout: ModelInputLayout { json.layout }

    /// Decodes `payload` into the row `writer` lends (every column missing on entry); on failure
    /// the row's contents are unspecified.
    @inline(__always)
    public func decode(_ payload: UnsafeRawBufferPointer, into writer: InputRowWriter) throws(Failure) {
        switch schemas {
        case .json:
            try undecodable { () throws(FeatureDecodingError) in try json.decode(payload, into: writer) }
        case .localAvro(_, let framing):
            try undecodable { () throws(FeatureDecodingError) in
                let start = framing == .bare ? 0 : try ConfluentFraming.avroRecordStart(of: payload)
                try localPlan!.decode(payload, from: start, into: writer)
            }
        case .localProtobuf(_, _, let framing):
            try undecodable { () throws(FeatureDecodingError) in
                let start = framing == .bare ? 0 : try ConfluentFraming.protobufMessageStart(of: payload)
                try protobufPlan!.decode(payload, from: start, into: writer)
            }
        case .registryAvro(let registry):
            let id = try undecodable { () throws(FeatureDecodingError) in try ConfluentFraming.schemaID(of: payload) }
            let plan: AvroPlan
            if let latest, latest.id == id {
                plan = latest.plan
            } else {
                plan = try resolve(id, registry: registry)
                latest = (id, plan)
            }
            try undecodable { () throws(FeatureDecodingError) in try plan.decode(payload, from: ConfluentFraming.headerLength, into: writer) }
        case .registryProtobuf(let registry):
            let header = try undecodable { () throws(FeatureDecodingError) in try ConfluentFraming.protobufHeader(of: payload) }
            let plan: ProtobufPlan
            if let latest = latestProtobuf, latest.id == header.schemaID, latest.indexList == header.indexList {
                plan = latest.plan
            } else {
                plan = try resolveProtobuf(header.schemaID, payload: payload, registry: registry)
                latestProtobuf = header.indexList.map { (header.schemaID, $0, plan) }
            }
            try undecodable { () throws(FeatureDecodingError) in try plan.decode(payload, from: header.messageStart, into: writer) }
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
        let resolution: Resolution<AvroPlan>
        if let known = resolutions[id] {
            resolution = known
        } else {
            resolution = Self.compile(try Self.lookup(id) { () throws(SchemaLookupError) in try registry.schema(id: id) }, id: id, target: target)
            resolutions[id] = resolution
        }
        return try Self.plan(resolution)
    }

    /// The plan of the message named by the index list of `payload`'s header, in schema `id`.
    private func resolveProtobuf(_ id: Int32, payload: UnsafeRawBufferPointer, registry: SchemaRegistryClient) throws(Failure) -> ProtobufPlan {
        let indexes = try undecodable { () throws(FeatureDecodingError) in try ConfluentFraming.messageIndexes(of: payload).indexes }
        let key = ProtobufMessage(schemaID: id, indexes: indexes)
        if let known = protobufResolutions[key] { return try Self.plan(known) }
        let schema = try Self.lookup(id) { () throws(SchemaLookupError) in try registry.schema(id: id) }
        let resolution: Resolution<ProtobufPlan>
        if schema.type == "PROTOBUF" {
            resolution = Self.compileProtobuf(try Self.lookup(id) { () throws(SchemaLookupError) in try registry.fileDescriptor(id: id) }, key: key, target: target)
        } else {
            resolution = .unusable("schema \(id) is a \(schema.type) schema, not Protobuf")
        }
        protobufResolutions[key] = resolution
        return try Self.plan(resolution)
    }

    /// What `body` asks the registry of schema `id`: an unknown id is a dead letter, a registry
    /// that cannot answer holds the event.
    private static func lookup<R>(_ id: Int32, _ body: () throws(SchemaLookupError) -> R) throws(Failure) -> R {
        do throws(SchemaLookupError) {
            return try body()
        } catch {
            switch error {
            case .notFound(let message):
                // Not kept: a producer may register the id later.
                throw .undecodable(FeatureDecodingError(.unknownSchema, path: "$", offset: 1, detail: "schema \(id): \(message)"))
            case .unavailable(let message):
                throw .schemaUnavailable("the schema registry cannot give schema \(id): \(message)")
            }
        }
    }

    private static func plan<Plan>(_ resolution: Resolution<Plan>) throws(Failure) -> Plan {
        switch resolution {
        case .plan(let plan): return plan
        case .unusable(let reason): throw .undecodable(FeatureDecodingError(.unknownSchema, path: "$", offset: 1, detail: reason))
        }
    }

    private static func compileProtobuf(_ file: [UInt8], key: ProtobufMessage, target: FeatureRowTarget) -> Resolution<ProtobufPlan> {
        do throws(ProtobufSchemaError) {
            let (descriptors, message) = try ProtobufDescriptors.file(file, messageAt: key.indexes)
            return .plan(try ProtobufPlan(descriptors: descriptors, message: message, target: target))
        } catch {
            return .unusable("schema \(key.schemaID), message \(key.indexes): \(error)")
        }
    }

    private static func compile(_ schema: SchemaRegistryClient.Schema, id: Int32, target: FeatureRowTarget) -> Resolution<AvroPlan> {
        guard schema.type == "AVRO" else { return .unusable("schema \(id) is a \(schema.type) schema, not Avro") }
        do throws(AvroSchemaError) {
            return .plan(AvroPlan(schema: try AvroSchema.parse(json: schema.text), target: target))
        } catch {
            return .unusable("schema \(id) is not a usable Avro schema: \(error)")
        }
    }
}
