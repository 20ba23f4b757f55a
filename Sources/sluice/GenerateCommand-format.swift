import ArgumentParser
import SluiceCommandLine
import SluiceDemoEvents
import SluicePipeline

/// `sluice generate --format`.
enum GeneratedFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case avro
    case protobuf
}

extension GenerateCommand {
    /// The producer's format: with a registry, the schema registered first.
    func eventFormat() throws -> FraudEventFormat {
        let schema: SchemaRegistryClient.Schema
        switch format {
        case .json: return .json
        case .avro: schema = .init(type: "AVRO", text: FraudEventAvro.schema)
        case .protobuf: schema = .init(type: "PROTOBUF", text: FraudEventProtobuf.schema)
        }
        let id = try schemaRegistry.map { try register(schema, with: $0) }
        return format == .avro ? .avro(schemaID: id) : .protobuf(schemaID: id)
    }

    private func register(_ schema: SchemaRegistryClient.Schema, with url: String) throws -> Int32 {
        let client = SchemaRegistryClient(settings: .init(url: url))
        do {
            let id = try client.register(subject: "\(topic)-value", schema: schema)
            printError("registered the events' \(format.rawValue) schema with \(url) as subject \(topic)-value: id \(id)")
            return id
        } catch {
            printError("error: cannot register the events' schema with \(url): \(error)")
            throw ExitCode.failure
        }
    }
}
