import Logging
import SluiceKafka
import SluiceKernels
import SluiceModel

/// The driver of a ``Processor``'s work on its thread: each step waits for work, polls the
/// source (unless back-pressure holds the input), takes the events in, scores a due batch,
/// serves delivery reports, stores what became committable and applies back-pressure.
///
/// It reads its input from a ``RecordSource`` and writes to a ``RecordSink``: Kafka's consumer
/// and producer when Sluice runs, in-memory ones in tests, which so drive this very loop.
///
/// Its parts each do one job: ``InputIntake`` (events into micro-batches or dead letters),
/// ``OutputSender`` (records out, acknowledgements and resends in), ``PartitionAssignment`` and
/// the rebalance handling (partitions in and out), ``LatencyTracker``; they share the ledger and
/// the running totals in ``ProcessorBooks``. Everything is created and used on the loop's thread,
/// so nothing needs a lock.
final class ProcessorLoop<Source: RecordSource, Sink: RecordSink> {
    /// Where the loop is in its life.
    enum Lifecycle {
        /// Consuming and scoring.
        case running
        /// Stopping on request: consuming no more, finishing the work in flight.
        case finishing
        /// Stopping on an error: revokes give their partitions up instead of finishing them.
        case failed
    }

    let processor: Processor
    let consumer: Source
    let logger: Logger
    let clock = ContinuousClock()
    let books = ProcessorBooks()
    let intake: InputIntake
    let outputs: OutputSender<Sink>
    var session: ModelSession
    /// Which of ``Processor/models``' replacements `session` and the sender's encoder serve.
    var modelGeneration: Int
    /// When the model started on the last batch.
    var lastBatchStartedAt: ContinuousClock.Instant?
    /// Scores the shadow model, when one is configured.
    let shadow: ShadowScorer<Sink>?
    /// Divides batches between the served model and the canary, when one is configured.
    let canary: CanarySplitter?
    let drift: DriftWatch<Sink>?
    var assignment: PartitionAssignment
    var latency = LatencyTracker()
    var backpressure: Backpressure
    var lifecycle = Lifecycle.running
    /// The open transaction's span of input in exactly-once delivery; `nil` in at-least-once.
    var transactions: TransactionSpan?
    /// The source and sink as transactional clients, in exactly-once delivery.
    let transactional: TransactionalClients?
    /// An error thrown inside a rebalance callback, rethrown after the poll.
    var rebalanceFailure: (any Error)?
    /// Whether partitions were assigned since the last commit: the first offsets stored after an
    /// assignment are committed at once instead of at the next background commit, up to
    /// `kafka.commit_interval_ms` later, so that a crash soon after joining (a restart loop, a
    /// deploy) does not redo everything the new member has done so far.
    var commitsOnNextStore = false
    /// The last offset stored for each assigned partition: a revoke commits it synchronously
    /// before the partition is released, whether or not a background commit has taken it yet.
    var lastStoredOffsets: [KafkaTopicPartition: Int64] = [:]
    /// Whether the input was held for an event's schema and readiness not yet told it moves again.
    var isHeldForSchema = false
    /// The longest the loop sleeps when nothing is due.
    let idleWait: Duration

    let messages: Source.Batch
    private var offsetsToStore: [KafkaPartitionOffset] = []
    private var lastPublished: ContinuousClock.Instant
    /// Signalled by the consumer's and the producer's queues when either gets an item while empty.
    private let wakeup: KafkaQueueWakeup
    /// Whether the last step left both clients' queues empty, so that waiting on `wakeup` cannot
    /// miss anything already there.
    private var queuesWereDrained = false

    init(processor: Processor, source: Source, sink: Sink) throws {
        self.processor = processor
        let configuration = processor.configuration
        consumer = source
        logger = processor.logger
        intake = InputIntake(
            configuration: configuration, decoder: EventDecoder(json: processor.decoder, schemas: processor.schemas), books: books, logger: logger
        )
        let serving = processor.models.current
        outputs = try OutputSender(
            producer: sink, configuration: configuration, encoder: serving.encoder, books: books,
            retryPolicy: processor.options.deliveryRetry, observer: processor.options.observer, logger: logger
        )
        session = serving.model.makeSession()
        modelGeneration = serving.generation
        shadow = try processor.shadow.map { try ShadowScorer($0, sink: sink) }
        canary = processor.canary.map {
            CanarySplitter(
                $0, explanations: processor.auditExplanations(for: $0.model, profile: serving.profiles.explanation), layout: processor.decoder.layout,
                capacity: configuration.batching.maxSize, inputTopics: configuration.input.topics
            )
        }
        drift = try processor.makeDriftWatch(profile: serving.profiles.reference, sink: sink)
        assignment = PartitionAssignment(topics: configuration.input.topics)
        backpressure = Backpressure(
            high: configuration.backpressure.maxInFlight, low: configuration.backpressure.resumeAt,
            pauseAfter: configuration.backpressure.pauseAfter
        )
        messages = source.makeBatch(capacity: configuration.batching.maxSize)
        idleWait = max(.milliseconds(1), min(configuration.batching.maxDelay, .milliseconds(50)))
        lastPublished = clock.now
        transactions = configuration.delivery == .exactlyOnce ? TransactionSpan() : nil
        transactional = configuration.delivery == .exactlyOnce ? try TransactionalClients(source: source, sink: sink) : nil
        wakeup = try KafkaQueueWakeup()
        consumer.wake(wakeup)
        sink.wake(wakeup)
        outputs.explanations = processor.auditExplanations(for: serving.model, profile: serving.profiles.explanation)
    }

    var observer: (any ProcessorObserver)? { processor.options.observer }

    func run() throws {
        // Polled messages pin the consumer's client, which could then never be destroyed.
        defer { messages.release() }
        try initializeTransactions()
        try consumer.subscribe(to: assignment.topics)
        do {
            while !processor.isStopping {
                try step()
            }
            lifecycle = .finishing
            try finish()
        } catch {
            lifecycle = .failed
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
            try rethrowRebalanceFailure()
            if !messages.isEmpty {
                try beginTransactionIfNeeded(taking: messages)
                try intake.take(messages, assignment: assignment, deadLetters: outputs, score: score, holdForSchema: holdForSchema)
                releaseSchemaHold()
            }
        }
        let now = clock.now
        if let batch = intake.closeIfDue(now: now) { try scoreAndRecycle(batch) }
        try outputs.serveDeliveryReports(timeout: .zero)
        if books.refusals.doomsOpenTransaction { try abortTransaction() }
        try settle()
        try commitTransactionIfDue(now: now)
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
        if let deadline = intake.deadline { wait = min(wait, deadline - now) }
        if let due = outputs.retries.nextDueTime { wait = min(wait, due - now) }
        if wait > .zero { wakeup.wait(timeout: wait) }
    }

    /// Stops consuming and finishes: scores the open batch, waits for every acknowledgement,
    /// commits, and leaves the group.
    private func finish() throws {
        try closeOpenBatch()
        try outputs.awaitDeliveries(timeout: processor.options.drainTimeout) { books.ledger.inFlight == 0 }
        try settle()
        if transactions != nil {
            try commitTransaction()
        } else {
            try consumer.commit()
            books.statistics.commits += 1
        }
        try consumer.close(onRebalance: handleRebalance)
        try rethrowRebalanceFailure()
    }

    /// After a failure: commits the acknowledged prefix only (in exactly-once delivery nothing:
    /// the open transaction is aborted by the brokers), and leaves the group.
    private func abandonAfterFailure() {
        if transactions == nil {
            do {
                try storeCommittable()
                try consumer.commit()
            } catch {
                logger.error("cannot commit after a failure", metadata: ["error": "\(error)"])
            }
        }
        try? consumer.close(onRebalance: handleRebalance)
        publish()
    }

    private func rethrowRebalanceFailure() throws {
        guard let failure = rebalanceFailure else { return }
        rebalanceFailure = nil
        throw failure
    }

    /// Stores the offsets that became committable, records the latencies of acknowledged batches,
    /// and holds, pauses or resumes the input.
    func settle() throws {
        try storeCommittable()
        books.ledger.drainAcknowledgedBatches { batch in
            latency.acknowledged(batch, into: &books.statistics.endToEndLatency, observer: observer)
        }
        books.ledger.drainReleased { _ in }
        try apply(backpressure.inFlightChanged(to: books.ledger.inFlight, now: clock.now))
        books.statistics.inFlight = books.ledger.inFlight
        books.statistics.peakInFlight = max(books.statistics.peakInFlight, books.ledger.inFlight)
    }

    /// Stores the offsets that became committable; returns them (valid until the next call).
    @discardableResult
    func storeCommittable() throws -> [KafkaPartitionOffset] {
        offsetsToStore.removeAll(keepingCapacity: true)
        books.ledger.drainCommittable { partition, offset in
            offsetsToStore.append(KafkaPartitionOffset(topic: assignment.topics[partition.topic], partition: partition.partition, offset: offset))
        }
        guard !offsetsToStore.isEmpty else { return [] }
        if transactions != nil {
            transactions!.completed(offsetsToStore)
            return offsetsToStore
        }
        try consumer.storeOffsets(offsetsToStore)
        books.statistics.storedOffsets += offsetsToStore.count
        for stored in offsetsToStore { lastStoredOffsets[stored.topicPartition] = stored.offset }
        if commitsOnNextStore {
            commitsOnNextStore = false
            try consumer.commitAsync()
        }
        return offsetsToStore
    }

    private func apply(_ action: Backpressure.Action) throws {
        let assigned = assignment.assigned
        switch action {
        case .none:
            return
        case .stopTaking:
            books.statistics.holds += 1
        case .resumeTaking:
            break
        case .pausePartitions:
            books.statistics.pauses += 1
            if !assigned.isEmpty { try consumer.pause(assigned) }
        case .resumePartitions:
            if !assigned.isEmpty { try consumer.resume(assigned) }
        }
        books.statistics.isPaused = backpressure.isPaused
        books.statistics.isHolding = backpressure.isHolding
    }

    func publish() {
        books.statistics.assignedPartitions = assignment.assigned.count
        books.statistics.loopCPUSeconds = threadCPUSeconds()
        processor.publish(books.statistics)
        lastPublished = clock.now
    }
}
