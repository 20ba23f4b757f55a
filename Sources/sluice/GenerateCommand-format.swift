import ArgumentParser
import SluiceCommandLine
import SluiceDemoEvents
import SluicePipeline

/// `sluice generate --format`.
enum GeneratedFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case avro
}

extension GenerateCommand {
    /// The producer's format: for Avro with a registry, the schema registered first.
    func eventFormat() throws -> FraudEventFormat {
        guard format == .avro else { return .json }
        guard let schemaRegistry else { return .avro(schemaID: nil) }
        let client = SchemaRegistryClient(settings: .init(url: schemaRegistry))
        do {
            let id = try client.register(subject: "\(topic)-value", schema: .init(type: "AVRO", text: FraudEventAvro.schema))
            printError("registered the events' Avro schema with \(schemaRegistry) as subject \(topic)-value: id \(id)")
            return .avro(schemaID: id)
        } catch {
            printError("error: cannot register the events' schema with \(schemaRegistry): \(error)")
            throw ExitCode.failure
        }
    }
}
