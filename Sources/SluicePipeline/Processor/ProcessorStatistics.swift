/// A snapshot of what a ``Processor`` has done since it started, published by its loop about
/// every 50 ms and once more when it returns.
public struct ProcessorStatistics: Sendable, Hashable {
    /// Input events consumed.
    public var eventsIn = 0
    /// Prediction records handed to the producer.
    public var predictions = 0
    /// Audit records handed to the producer.
    public var audits = 0
    /// Dead-letter records handed to the producer.
    public var deadLetters = 0
    /// Outputs (of all three kinds) the broker acknowledged.
    public var acknowledgedOutputs = 0
    /// Micro-batches scored.
    public var batches = 0
    /// Offsets stored for commit (one per partition each time its committable offset moved).
    public var storedOffsets = 0
    /// Synchronous commits (on revoke and at shutdown); stored offsets are otherwise committed in
    /// the background, and without waiting as soon as some are stored after an assignment.
    public var commits = 0
    /// Transactions committed, in exactly-once delivery.
    public var transactionsCommitted = 0
    /// Transactions aborted (their input redone), in exactly-once delivery.
    public var transactionsAborted = 0
    /// Times back-pressure held the input (stopped taking events from librdkafka's queue).
    public var holds = 0
    /// Times the input partitions were paused by back-pressure: the last resort, when holding
    /// lasted `backpressure.pause_after_ms`.
    public var pauses = 0
    /// Times a send found the producer's queue full and waited for it to drain.
    public var producerQueueFullWaits = 0
    /// Outputs sent again after the broker did not take them (see ``DeliveryRetryPolicy``).
    public var deliveryRetries = 0
    /// Events consumed whose outputs are not all acknowledged yet.
    public var inFlight = 0
    /// The most events ever in flight at once.
    public var peakInFlight = 0
    /// Events of lost partitions dropped uncommitted (their next owner consumes them again).
    public var abandoned = 0
    /// Whether the input is held now (events wait in librdkafka's queue).
    public var isHolding = false
    /// Whether the input partitions are paused now.
    public var isPaused = false
    /// Input partitions assigned now.
    public var assignedPartitions = 0
    /// Per predicted event: from the input record's timestamp to its batch's outputs all being
    /// acknowledged, in microseconds.
    public var endToEndLatency = LatencyHistogram()
    /// Per consumed event: from the input record's timestamp to the poll that returned it, in
    /// microseconds; the part of the end-to-end latency spent before Sluice had the event
    /// (the upstream producer's batching, the broker, the fetch).
    public var consumeLatency = LatencyHistogram()
    /// CPU time of the processor's loop thread (decoding, scoring, encoding, handing records to
    /// librdkafka, bookkeeping), in seconds; librdkafka's own threads are not included.
    public var loopCPUSeconds = 0.0
    /// Per batch: the model's compute time, in microseconds.
    public var computeTime = LatencyHistogram()
    /// Shadow records handed to the producer (`model.shadow`), one per scored event.
    public var shadowRecords = 0
    /// Events the canary model scored (`model.canary`) in the served model's place.
    public var canaryRows = 0
    /// Models a reload put in place of the serving one, between batches.
    public var modelReplacements = 0
    /// The longest time from the start of the last batch a model scored to the start of the first
    /// batch its replacement scored, in microseconds: what a swap adds to the gap between batches.
    public var longestGapAtReplacementMicroseconds: Int64 = 0

    public init() {}

    /// Events whose outcome (prediction and audit, or dead letter) has been handed to the producer.
    public var eventsDone: Int { predictions + deadLetters }
}
