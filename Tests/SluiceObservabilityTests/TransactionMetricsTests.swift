import Logging
import SluicePipeline
import Testing
@testable import SluiceObservability

/// Exactly-once delivery's metrics and readiness, told by the processor once per transaction.
struct TransactionMetricsTests {
    @Test func transactionsAreCountedAndTimedAndReadinessWaitsForTheTransactionalID() throws {
        let health = ServiceHealth()
        let metrics = SluiceMetrics(
            configuration: try SluiceConfiguration.parse(yaml: "features: [{path: x}]"), kafkaStatisticsInterval: nil, health: health,
            logger: Logger(label: "sluice.tests") { _ in SwiftLogNoOpLogHandler() }
        )
        health.modelLoaded()
        health.processorStarted()
        metrics.processorInitializingTransactions(true)
        #expect(health.readiness().reason == "registering the transactional id with its coordinator (init_transactions)")
        metrics.processorInitializingTransactions(false)
        #expect(health.readiness().reason == "waiting for the consumer group to assign partitions")

        metrics.processorCommittedTransaction(openFor: .milliseconds(120))
        metrics.processorCommittedTransaction(openFor: .milliseconds(30))
        metrics.processorAbortedTransaction()
        let samples = PrometheusSamples(String(decoding: metrics.exposition(), as: UTF8.self))
        #expect(samples.value("sluice_transactions_committed_total") == 2)
        #expect(samples.value("sluice_transactions_aborted_total") == 1)
        #expect(samples.value("sluice_transaction_duration_seconds_count") == 2)
        #expect(samples.value("sluice_transaction_duration_seconds_bucket", ["le": "0.05"]) == 1, "30 ms, not 120 ms")
    }
}
