import CoreMetrics
import Prometheus

extension MetricName {
    public static let transactionsCommitted = "sluice_transactions_committed_total"
    public static let transactionsAborted = "sluice_transactions_aborted_total"
    public static let transactionDuration = "sluice_transaction_duration_seconds"
}

/// Exactly-once delivery's transactions: how many committed and aborted, and how long each
/// committed one was open. Recorded once per transaction, never per event.
struct TransactionMetrics {
    /// The duration histogram's bounds, in seconds: around the default `delivery.transaction_ms`
    /// of 100 ms, up to the longest interval allowed.
    static let durationBuckets = [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    let committed: Counter
    let aborted: Counter
    let duration: CoreMetrics.Timer

    init(factory: PrometheusMetricsFactory) {
        committed = Counter(label: MetricName.transactionsCommitted, factory: factory)
        aborted = Counter(label: MetricName.transactionsAborted, factory: factory)
        duration = CoreMetrics.Timer(label: MetricName.transactionDuration, factory: factory)
    }
}

extension SluiceMetrics {
    public func processorInitializingTransactions(_ isInitializing: Bool) {
        health?.processorInitializingTransactions(isInitializing)
    }

    public func processorCommittedTransaction(openFor: Duration) {
        transactions.committed.increment()
        transactions.duration.recordNanoseconds(Self.nanoseconds(openFor))
    }

    public func processorAbortedTransaction() {
        transactions.aborted.increment()
    }
}
