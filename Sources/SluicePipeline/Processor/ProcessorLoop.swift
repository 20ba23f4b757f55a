import Foundation
import Logging
import SluiceKafka
import SluiceModel

/// The state a ``Processor`` drives on its thread: created there, used only there, so none of it
/// needs a lock (DESIGN.md, "one loop owns a consumer's messages from poll to commit").
final class ProcessorLoop {
    let processor: Processor
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger
    let topics: [String]
    let topicIndices: [String: Int]
    let decoder: FeatureDecoder
    let encoder: RecordEncoder
    let session: ModelSession
    let predictionTopic: KafkaProducerTopic
    let auditTopic: KafkaProducerTopic
    let deadLetterTopic: KafkaProducerTopic
    let clock = ContinuousClock()
    let idleWait: Duration

    var batcher: MicroBatcher
    var ledger = OffsetLedger<InputPartition>()
    var backpressure: Backpressure
    var deadLetterHeaders: DeadLetterHeaders
    var statistics = ProcessorStatistics()
    /// The ledger's batch the batcher's open batch belongs to, once an event joined it.
    var openBatch: BatchID?
    /// The assigned input partitions, in assignment order, for pause and resume.
    var assigned: [KafkaTopicPartition] = []
    /// Per scored batch, oldest first: its events' input timestamps, for the end-to-end latency
    /// once the batch is acknowledged.
    var awaitedTimestamps: [(batch: BatchID, timestamps: [Int64])] = []
    var spareTimestamps: [[Int64]] = []
    /// Whether a failure stopped the loop: revokes then abandon instead of finishing work.
    var hasFailed = false
    /// An error thrown inside a rebalance callback, rethrown after the poll.
    var rebalanceFailure: (any Error)?
    /// Outputs the broker did not take, to be sent again.
    var deliveryRetries = DeliveryRetries()

    let messages: KafkaMessageBatch
    var predictionID = JSONBuffer(capacity: 64)
    var predictionValue = JSONBuffer()
    var auditValue = JSONBuffer()
    var headers: [KafkaHeader] = []
    var offsetsToStore: [KafkaPartitionOffset] = []
    var lastPublished: ContinuousClock.Instant
    /// Signalled by the consumer's and the producer's queues when either gets an item while empty.
    let wakeup: KafkaQueueWakeup
    /// Whether the last step left both clients' queues empty, so that waiting on `wakeup` cannot
    /// miss anything already there.
    var queuesWereDrained = false

    init(processor: Processor) throws {
        self.processor = processor
        let configuration = processor.configuration
        consumer = processor.consumer
        producer = processor.producer
        logger = processor.logger
        topics = configuration.input.topics
        topicIndices = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($1, $0) })
        decoder = processor.decoder
        encoder = processor.encoder
        session = processor.model.makeSession()
        predictionTopic = try producer.topic(named: configuration.outputs.predictions)
        auditTopic = try producer.topic(named: configuration.outputs.audit)
        deadLetterTopic = try producer.topic(named: configuration.deadLetterTopic)
        batcher = MicroBatcher(
            limits: .init(maxSize: configuration.batching.maxSize, maxDelay: configuration.batching.maxDelay),
            width: decoder.width
        )
        backpressure = Backpressure(
            high: configuration.backpressure.maxInFlight, low: configuration.backpressure.resumeAt,
            pauseAfter: configuration.backpressure.pauseAfter
        )
        deadLetterHeaders = DeadLetterHeaders(inputTopics: topics)
        messages = KafkaMessageBatch(capacity: configuration.batching.maxSize)
        idleWait = max(.milliseconds(1), min(configuration.batching.maxDelay, .milliseconds(50)))
        lastPublished = clock.now
        wakeup = try KafkaQueueWakeup()
        consumer.wake(wakeup)
        producer.wake(wakeup)
    }

    func run() throws {
        // Polled messages pin the consumer's client, which could then never be destroyed.
        defer { messages.release() }
        try consumer.subscribe(to: topics)
        do {
            while !processor.isStopping {
                try step()
            }
            try finish()
        } catch {
            hasFailed = true
            logger.error("processor stopping on error", metadata: ["error": "\(error)"])
            abandonAfterFailure()
            throw error
        }
        publish()
    }

    /// One turn: wait for work (unless some is known to be waiting), poll, take the messages in,
    /// close a due batch, serve delivery reports, store committable offsets and apply
    /// back-pressure.
    func step() throws {
        if queuesWereDrained { waitForWork() }
        wakeup.reset()
        // While back-pressure holds the input, events wait in librdkafka's own bounded queue.
        let pollsConsumer = backpressure.pollsConsumer
        var taken = 0
        if pollsConsumer {
            taken = try consumer.poll(into: messages, timeout: .zero, onRebalance: handleRebalance)
            if let failure = rebalanceFailure {
                rebalanceFailure = nil
                throw failure
            }
            if !messages.isEmpty { try take(messages) }
        }
        let now = clock.now
        if batcher.isDue(now: now) {
            try closeOpenBatch(now: now)
        } else if batcher.count == 0, let batch = openBatch {
            // Only dead letters joined it: nothing waits for the deadline.
            ledger.seal(batch)
            openBatch = nil
        }
        try serveDeliveryReports(timeout: .zero)
        try settle()
        if now - lastPublished >= .milliseconds(50) { publish() }
        // Serving delivery reports empties the producer's queue; the consumer's is empty unless
        // the poll filled the batch. An unpolled consumer queue signals the wakeup once and then
        // not again until it is polled, so a loop that stops holding polls before it waits.
        if pollsConsumer {
            queuesWereDrained = taken < messages.capacity
        } else {
            queuesWereDrained = !backpressure.pollsConsumer
        }
    }

    /// Sleeps until input or a delivery report arrives, the open batch is due or a resend is, and
    /// at most `idleWait`. The wakeup keeps a deadline to the microsecond, where librdkafka's own
    /// waits would round it up to a whole millisecond, and wakes for either client.
    private func waitForWork() {
        let now = clock.now
        var wait = idleWait
        if let deadline = batcher.deadline { wait = min(wait, deadline - now) }
        if let due = deliveryRetries.nextDueTime { wait = min(wait, due - now) }
        if wait > .zero { wakeup.wait(timeout: wait) }
    }

    /// Stops consuming and finishes: scores the open batch, waits for every acknowledgement,
    /// commits, and leaves the group.
    func finish() throws {
        try closeOpenBatch(now: clock.now)
        try awaitDeliveries { $0.ledger.inFlight == 0 }
        try settle()
        try consumer.commit()
        statistics.commits += 1
        try consumer.close(onRebalance: handleRebalance)
        if let failure = rebalanceFailure { throw failure }
    }

    /// After a failure: commits the acknowledged prefix only, and leaves the group.
    func abandonAfterFailure() {
        do {
            try storeCommittable()
            try consumer.commit()
        } catch {
            logger.error("cannot commit after a failure", metadata: ["error": "\(error)"])
        }
        try? consumer.close(onRebalance: handleRebalance)
        publish()
    }

    /// Serves delivery reports until `isDone` holds, failing after the processor's drain timeout.
    func awaitDeliveries(until isDone: (ProcessorLoop) -> Bool) throws {
        let deadline = clock.now + processor.options.drainTimeout
        while !isDone(self) {
            guard clock.now < deadline else {
                throw ProcessorError.deliveriesTimedOut(inFlight: ledger.inFlight, after: processor.options.drainTimeout)
            }
            try serveDeliveryReports(timeout: .milliseconds(10))
        }
    }

    func serveDeliveryReports(timeout: Duration) throws {
        try producer.pollDeliveryReports(timeout: timeout) { report in
            if let topic = report.undeliveredMessage?.topic { observer?.processorDeliveryFailed(topic: topic) }
            switch ledger.acknowledge(DeliveryToken(rawValue: report.token), delivered: report.isDelivered) {
            case .recorded:
                statistics.acknowledgedOutputs += 1
            case .stale:
                break
            case .failed(let partition, let offset):
                try handleFailedDelivery(report, of: partition, offset: offset)
            }
        }
        try resendDueOutputs()
    }

    /// Stores the offsets that became committable, records the latencies of acknowledged batches,
    /// and pauses or resumes the input.
    func settle() throws {
        try storeCommittable()
        ledger.drainAcknowledgedBatches { batch in recordLatencies(of: batch) }
        ledger.drainCompletedBatches { _ in }
        ledger.drainReleased { _ in }
        try apply(backpressure.inFlightChanged(to: ledger.inFlight, now: clock.now))
        statistics.inFlight = ledger.inFlight
        statistics.peakInFlight = max(statistics.peakInFlight, ledger.inFlight)
    }

    func storeCommittable() throws {
        offsetsToStore.removeAll(keepingCapacity: true)
        ledger.drainCommittable { partition, offset in
            offsetsToStore.append(KafkaPartitionOffset(topic: topics[partition.topic], partition: partition.partition, offset: offset))
        }
        guard !offsetsToStore.isEmpty else { return }
        try consumer.storeOffsets(offsetsToStore)
        statistics.storedOffsets += offsetsToStore.count
    }

    func apply(_ action: Backpressure.Action) throws {
        switch action {
        case .none:
            return
        case .stopTaking:
            statistics.holds += 1
        case .resumeTaking:
            break
        case .pausePartitions:
            statistics.pauses += 1
            if !assigned.isEmpty { try consumer.pause(assigned) }
        case .resumePartitions:
            if !assigned.isEmpty { try consumer.resume(assigned) }
        }
        statistics.isPaused = backpressure.isPaused
        statistics.isHolding = backpressure.isHolding
    }

    /// Records the end-to-end latency of the events of `batch`, whose outputs are all
    /// acknowledged: now, less each event's input timestamp. A batch does not wait for earlier
    /// ones here (their events are recorded when theirs are through).
    func recordLatencies(of batch: BatchID) {
        // Batches usually finish in order: the one sought is at or near the front.
        guard let index = awaitedTimestamps.firstIndex(where: { $0.batch == batch }) else { return }
        let nowMicroseconds = Self.wallClockMicroseconds()
        observer?.processorAcknowledged(inputTimestampsMilliseconds: awaitedTimestamps[index].timestamps, acknowledgedAtMicroseconds: nowMicroseconds)
        for timestamp in awaitedTimestamps[index].timestamps {
            statistics.endToEndLatency.record(microseconds: nowMicroseconds - timestamp * 1000)
        }
        // Taken out rather than copied, so that emptying it keeps its buffer instead of
        // allocating a new one.
        var spare: [Int64] = []
        swap(&spare, &awaitedTimestamps[index].timestamps)
        spare.removeAll(keepingCapacity: true)
        spareTimestamps.append(spare)
        awaitedTimestamps.remove(at: index)
    }

    /// Microseconds since 1970, the scale of Kafka's record timestamps.
    static func wallClockMicroseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    func publish() {
        statistics.assignedPartitions = assigned.count
        statistics.loopCPUSeconds = threadCPUSeconds()
        processor.publish(statistics)
        lastPublished = clock.now
    }
}
