import Logging
import SluiceKafka
import SluiceKernels

/// Everything the processor writes, and what the broker answers: encodes each scored row's
/// prediction and audit record into reused buffers and hands them to the producer, sends dead
/// letters, serves delivery reports into the ledger, sends again the outputs the broker did not
/// take (``DeliveryRetryPolicy``), and replaces those it refused for good by dead letters
/// (`outputs.on_rejected`).
///
/// Every output carries its input offset's ledger token, so the offset becomes committable only
/// when all its outputs are acknowledged. Used only on the loop's thread.
final class OutputSender<Sink: RecordSink> {
    let producer: Sink
    let books: ProcessorBooks
    /// Replaced with the model it names, between batches (``ProcessorLoop/adoptReplacedModel()``).
    var encoder: RecordEncoder
    /// Adds explanations to the audit records (`audit.explain`); `nil` when off or not available
    /// for the model serving. Replaced with the model, like ``encoder``.
    var explanations: AuditExplanations?
    let retryPolicy: DeliveryRetryPolicy
    let logger: Logger
    let observer: (any ProcessorObserver)?
    /// The input topics, in `input.topics` order, to name an output's input in errors.
    let inputTopics: [String]
    let clock = ContinuousClock()

    let predictionTopic: Sink.Topic
    let auditTopic: Sink.Topic
    let deadLetterTopic: Sink.Topic
    var retries = DeliveryRetries()

    private var predictionID = JSONBuffer(capacity: 64)
    private var predictionValue = JSONBuffer()
    private var auditValue = JSONBuffer()
    private var headers: [KafkaHeader] = []
    private var deadLetters: DeadLetterBuilder
    /// Dead letters that stand in for outputs the broker refused for good, and dead letters
    /// resent in their smallest form: if the dead-letter topic refuses those too, nothing can
    /// take the event and the processor stops.
    var lastResortTokens: Set<DeliveryRetries.Output> = []
    /// Outputs refused for good in the current poll of delivery reports, to dead-letter after it.
    var rejected: [RejectedOutput] = []
    let onRejected: SluiceConfiguration.RejectedOutputPolicy
    /// Whether records are sent inside transactions (exactly-once delivery), where a failed
    /// delivery dooms the open transaction (``TransactionRefusals``).
    let isTransactional: Bool

    init(
        producer: Sink,
        configuration: SluiceConfiguration,
        encoder: RecordEncoder,
        books: ProcessorBooks,
        retryPolicy: DeliveryRetryPolicy,
        observer: (any ProcessorObserver)?,
        logger: Logger
    ) throws {
        self.producer = producer
        self.books = books
        self.encoder = encoder
        self.retryPolicy = retryPolicy
        self.observer = observer
        self.logger = logger
        inputTopics = configuration.input.topics
        predictionTopic = try producer.topic(named: configuration.outputs.predictions)
        auditTopic = try producer.topic(named: configuration.outputs.audit)
        deadLetterTopic = try producer.topic(named: configuration.deadLetterTopic)
        deadLetters = DeadLetterBuilder(inputTopics: inputTopics, maxMessageBytes: configuration.producerMaxMessageBytes)
        onRejected = configuration.outputs.onRejected
        isTransactional = configuration.delivery == .exactlyOnce
    }

    /// Sends a prediction and an audit record per row of the scored `batch`, each carrying the
    /// row's ledger token; a row with a NaN or infinite output gets a `non_finite_output` dead
    /// letter in its prediction's place. Only predictions have headers: the audit record's value holds its
    /// prediction id and model, and librdkafka allocates each header and frees it on delivery.
    func sendRecords(of batch: MicroBatch, outputs: [Tensor], timing: RecordEncoder.BatchTiming) throws {
        // One timestamp for the batch's records: librdkafka would read the clock for each.
        let createdAtMilliseconds = LatencyTracker.wallClockMicroseconds() / 1000
        let mayHaveNonFinite = RecordEncoder.containsNonFinite(outputs)
        // A local copy: calls on the stored property would copy the encoder (its arrays
        // retained and released) for every record, as it may be replaced between batches.
        let encoder = self.encoder
        try encoder.modelHeaderValue.withUnsafeBytes { model in
            try sendRecords(of: batch, outputs: outputs, timing: timing, encoder: encoder, modelHeader: model, mayHaveNonFinite: mayHaveNonFinite, createdAtMilliseconds: createdAtMilliseconds)
        }
        books.statistics.audits += batch.count
    }

    /// ``sendRecords(of:outputs:timing:)`` with the batch's encoder and model header at hand.
    private func sendRecords(
        of batch: MicroBatch, outputs: [Tensor], timing: RecordEncoder.BatchTiming, encoder: RecordEncoder, modelHeader: UnsafeRawBufferPointer,
        mayHaveNonFinite: Bool, createdAtMilliseconds: Int64
    ) throws {
        let explanations = explanations
        for row in 0..<batch.count {
            let metadata = batch.rows[row]
            encoder.writePredictionID(row: row, of: batch, into: &predictionID)
            encoder.encodeAudit(row: row, of: batch, predictionID: predictionID, timing: timing, into: &auditValue)
            if let explanations { explanations.append(row: row, of: batch, toAudit: &auditValue) }
            let nonFinite = mayHaveNonFinite ? encoder.nonFiniteOutput(row: row, rows: batch.count, outputs: outputs) : nil
            try withBytes(metadata.key, of: batch) { key in
                if let nonFinite {
                    // JSON has no number for it, and a null would pass for a score: the
                    // prediction's place is taken by a dead letter, the audit record stays.
                    try sendDeadLetter(
                        key: key, reason: nonFinite, topic: metadata.topic, partition: metadata.partition, offset: metadata.offset,
                        token: metadata.token
                    )
                } else {
                    encoder.encodePrediction(row: row, of: batch, predictionID: predictionID, outputs: outputs, into: &predictionValue)
                    try withPredictionHeaders(row: row, of: batch, model: modelHeader) { headers in
                        try predictionValue.withBytes { value in
                            try send(
                                to: predictionTopic, key: key, value: value, headers: headers, timestampMilliseconds: createdAtMilliseconds,
                                token: metadata.token
                            )
                        }
                    }
                    books.statistics.predictions += 1
                }
                try auditValue.withBytes { value in
                    try send(to: auditTopic, key: key, value: value, headers: [], timestampMilliseconds: createdAtMilliseconds, token: metadata.token)
                }
            }
        }
    }

    /// Sends the event (key, value and headers, in a form that fits the dead-letter topic; see
    /// ``DeadLetterBuilder``) with Sluice's error headers first to the dead-letter topic.
    func sendDeadLetter(_ message: some SourceRecord, topic: Int, error: FeatureDecodingError, token: DeliveryToken) throws {
        try sendDeadLetter(message, topic: topic, reason: DeadLetterReason(error), token: token)
    }

    /// Sends the dead letter of an event taken again after the transaction that held its
    /// refused output was aborted (``TransactionRefusals``); in its smallest form when the
    /// dead letter itself was refused.
    func sendDeadLetter(_ message: some SourceRecord, topic: Int, refusal: TransactionRefusals.Refusal, token: DeliveryToken) throws {
        let reason = Self.reason(rejecting: refusal.output, isDeadLetter: refusal.refusesDeadLetter)
        guard refusal.refusesDeadLetter else { return try sendDeadLetter(message, topic: topic, reason: reason, token: token) }
        try sendDeadLetter(
            key: nil, reason: reason, topic: topic, partition: message.partition, offset: message.offset, token: token,
            limitedTo: DeadLetterBuilder.minimumMaxMessageBytes
        )
    }

    private func sendDeadLetter(_ message: some SourceRecord, topic: Int, reason: DeadLetterReason, token: DeliveryToken) throws {
        try deadLetters.withDeadLetter(
            key: message.key, value: message.value, headers: message, reason: reason, topic: topic, partition: message.partition,
            offset: message.offset
        ) { letter in
            try send(to: deadLetterTopic, key: letter.key, value: letter.value, headers: letter.headers, token: token)
        }
        countDeadLetter(reason, topic: topic, partition: message.partition, offset: message.offset)
    }

    /// Sends a dead letter for an event whose payload is no longer at hand (it was scored, or
    /// its output was refused): the key, Sluice's headers and the input's coordinates, no value.
    func sendDeadLetter(
        key: UnsafeRawBufferPointer?,
        reason: DeadLetterReason,
        topic: Int,
        partition: Int32,
        offset: Int64,
        token: DeliveryToken,
        limitedTo maxMessageBytes: Int? = nil
    ) throws {
        let noHeaders: [(name: String, value: [UInt8]?)] = []
        var builder = maxMessageBytes.map { DeadLetterBuilder(inputTopics: inputTopics, maxMessageBytes: $0) } ?? deadLetters
        try builder.withDeadLetter(
            key: key, value: UnsafeRawBufferPointer(start: nil, count: 0), headers: noHeaders, reason: reason, topic: topic,
            partition: partition, offset: offset
        ) { letter in
            try send(to: deadLetterTopic, key: letter.key, value: letter.value, headers: letter.headers, token: token)
        }
        countDeadLetter(reason, topic: topic, partition: partition, offset: offset)
    }

    private func countDeadLetter(_ reason: DeadLetterReason, topic: Int, partition: Int32, offset: Int64) {
        books.statistics.deadLetters += 1
        observer?.processorDeadLettered(reason, topic: inputTopics[topic], partition: partition, offset: offset)
    }

    /// Hands one output to the producer; while its queue is full (rare: it is sized from
    /// `max_in_flight`), serves delivery reports until it takes the message. Nothing is dropped:
    /// an output the producer refuses for good stops the processor with an error naming its input
    /// offset.
    func send(
        to topic: Sink.Topic,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64? = nil,
        token: DeliveryToken
    ) throws {
        while try enqueue(to: topic, key: key, value: value, headers: headers, timestampMilliseconds: timestampMilliseconds, token: token) == .queueFull {
            books.statistics.producerQueueFullWaits += 1
            try serveDeliveryReports(timeout: .milliseconds(10))
        }
    }

    private func enqueue(
        to topic: Sink.Topic,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?,
        token: DeliveryToken
    ) throws -> KafkaSendOutcome {
        do {
            return try producer.send(
                to: topic, partition: nil, key: key, value: value, headers: headers, timestampMilliseconds: timestampMilliseconds,
                token: token.rawValue
            )
        } catch {
            // A doomed transaction takes no more records (librdkafka may doom it before its
            // delivery reports tell why); it is aborted and its span redone.
            if isTransactional, books.refusals.doomsOpenTransaction || error.code == .invalidState {
                books.refusals.failed()
                return .enqueued
            }
            guard let input = books.ledger.trackedOffset(of: token) else { throw error }
            if error.code == .messageTooLarge {
                // Refused before it left: handled like a refusal reported by the broker.
                try reject(
                    RejectedOutput(
                        topic: topic.name, key: key.map(Array.init), token: token.rawValue, input: input.partition, offset: input.offset,
                        error: error
                    )
                )
                return .enqueued
            }
            throw ProcessorError.deliveryFailed(
                output: topic.name, topic: inputTopics[input.partition.topic], partition: input.partition.partition, offset: input.offset,
                resends: 0, cause: error
            )
        }
    }

    /// The prediction's headers (id, `model`, the input's traceparent), lent for `body`, in a
    /// reused array.
    private func withPredictionHeaders(row: Int, of batch: MicroBatch, model: UnsafeRawBufferPointer, _ body: ([KafkaHeader]) throws -> Void) throws {
        try predictionID.withBytes { id in
            try withBytes(batch.rows[row].traceparent, of: batch) { traceparent in
                headers.removeAll(keepingCapacity: true)
                headers.append(KafkaHeader(name: RecordHeaderName.predictionID, value: id))
                headers.append(KafkaHeader(name: RecordHeaderName.model, value: model))
                if let traceparent { headers.append(KafkaHeader(name: RecordHeaderName.traceparent, value: traceparent)) }
                try body(headers)
            }
        }
    }

    private func withBytes(_ range: Range<Int>?, of batch: MicroBatch, _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        guard let range else { return try body(nil) }
        try batch.withBytes(range) { try body($0) }
    }
}

extension SluiceConfiguration {
    /// The largest message the producer sends (`message.max.bytes`, librdkafka's default 1,000,000
    /// unless set under `kafka.properties`).
    var producerMaxMessageBytes: Int {
        let configured = kafka.properties["message.max.bytes"].flatMap { Int($0) } ?? 1_000_000
        return max(DeadLetterBuilder.minimumMaxMessageBytes, configured)
    }
}
