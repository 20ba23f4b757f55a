import Logging
import SluiceKafka
@testable import SluiceObservability
import Testing

/// Readiness and liveness while no broker answers: they name it, and liveness gives up after
/// `kafka.connect_timeout`.
struct UnreachableBrokerHealthTests {
    static let refused = KafkaBrokerConnectivityError(
        kind: .transport, bootstrapServers: "127.0.0.1:1", broker: "127.0.0.1:1/bootstrap", reason: "Connect to ipv4#127.0.0.1:1 failed: Connection refused"
    )

    @Test func readinessNamesTheUnreachableBrokerInsteadOfWaitingForAnAssignment() {
        let health = ServiceHealth()
        health.modelLoaded()
        health.processorStarted()
        health.kafkaBrokerUnreachable(Self.refused)
        #expect(health.readiness().reason == "cannot reach Kafka broker 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused")
        #expect(health.liveness().isPositive, "no connect timeout: still alive")
        health.processorRebalanced(.assigned([]))
        #expect(health.readiness().isPositive, "an assignment means a broker answered")
    }

    @Test func livenessAndTheCommandGiveUpOnlyAfterTheConnectTimeoutWithoutAnyBroker() {
        let health = ServiceHealth(connectTimeout: .zero)
        health.modelLoaded()
        health.processorStarted()
        #expect(health.brokersGivenUp == nil, "no error reported: nothing to give up on")
        health.kafkaBrokerUnreachable(Self.refused)
        let reason = "no Kafka broker answered within kafka.connect_timeout (0.0 seconds); the last error: \(Self.refused)"
        #expect(health.brokersGivenUp == reason)
        #expect(health.liveness().reason == reason)
    }

    @Test func onceABrokerAnsweredOneBrokerGoingAwayLeavesTheInstanceReady() {
        let health = ServiceHealth(connectTimeout: .zero)
        health.modelLoaded()
        health.processorStarted()
        health.processorRebalanced(.assigned([]))
        health.kafkaBrokerUnreachable(Self.refused)
        #expect(health.readiness().isPositive)
        #expect(health.brokersGivenUp == nil)
        health.kafkaBrokerUnreachable(.init(kind: .allBrokersDown, bootstrapServers: "a:9092,b:9092", broker: nil, reason: "2/2 brokers are down"))
        #expect(health.readiness().reason == "no Kafka broker of a:9092,b:9092 is reachable (2/2 brokers are down)")
    }

    @Test func textLogLinesCarryTheLoggersLabelAndSortedMetadata() {
        let capture = LogCapture()
        var logger = Logger(label: "sluice") { TextLogHandler(label: $0, write: capture.append) }
        logger[metadataKey: "group"] = "g"
        logger.warning("cannot reach", metadata: ["client": "consumer"])
        #expect(capture.text.hasSuffix("Z warning sluice: cannot reach client=consumer group=g\n"), "\(capture.text)")
        #expect(!capture.text.contains("SluiceObservability"))
    }
}
