import Foundation
import SluiceKafka

extension KafkaConsumerConfiguration {
    /// A consumer for a command that reads topics back (`tail`, `audit verify`, `profile
    /// --from-topic`): a throw-away group of its own, `sluice-<command>-<UUID>`, client id
    /// `sluice-<command>`, auto-commit off (it commits nothing), and the consumer's share of
    /// `properties`.
    static func readingBack(for command: String, bootstrap: String, properties: [String: String]) -> Self {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "sluice-\(command)-\(UUID().uuidString)")
        configuration.isAutoCommitEnabled = false
        configuration.clientID = "sluice-\(command)"
        configuration.properties = KafkaClientRole.consumer.applicable(properties)
        return configuration
    }
}

extension KafkaError {
    /// Whether the error says no broker answered: the commands' exit status 3.
    var meansUnreachable: Bool { code == .timedOut || code == .allBrokersDown }
}
