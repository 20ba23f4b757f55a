import Logging
import SluiceKafka
import SluiceKernels

/// Everything the processor writes, and what the broker answers: encodes each scored row's
/// prediction and audit record into reused buffers and hands them to the producer, sends dead
/// letters, serves delivery reports into the ledger, and sends again the outputs the broker did
/// not take (``DeliveryRetryPolicy``).
///
/// Every output carries its input offset's ledger token, so the offset becomes committable only
/// when all its outputs are acknowledged. Used only on the loop's thread.
final class OutputSender {
    let producer: KafkaProducer
    let books: ProcessorBooks
    let encoder: RecordEncoder
    let retryPolicy: DeliveryRetryPolicy
    let logger: Logger
    let observer: (any ProcessorObserver)?
    /// The input topics, in `input.topics` order, to name an output's input in errors.
    let inputTopics: [String]
    let clock = ContinuousClock()

    let predictionTopic: KafkaProducerTopic
    let auditTopic: KafkaProducerTopic
    let deadLetterTopic: KafkaProducerTopic
    var retries = DeliveryRetries()

    private var predictionID = JSONBuffer(capacity: 64)
    private var predictionValue = JSONBuffer()
    private var auditValue = JSONBuffer()
    private var headers: [KafkaHeader] = []
    private var deadLetterHeaders: DeadLetterHeaders

    init(
        producer: KafkaProducer,
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
        deadLetterHeaders = DeadLetterHeaders(inputTopics: inputTopics)
    }

    /// Sends a prediction and an audit record per row of the scored `batch`, each carrying the
    /// row's ledger token. Only predictions have headers: the audit record's value holds its
    /// prediction id and model, and librdkafka allocates each header and frees it on delivery.
    func sendRecords(of batch: MicroBatch, outputs: [Tensor], timing: RecordEncoder.BatchTiming) throws {
        // One timestamp for the batch's records: librdkafka would read the clock for each.
        let createdAtMilliseconds = LatencyTracker.wallClockMicroseconds() / 1000
        for row in 0..<batch.count {
            let metadata = batch.rows[row]
            encoder.writePredictionID(row: row, of: batch, into: &predictionID)
            encoder.encodePrediction(row: row, of: batch, predictionID: predictionID, outputs: outputs, into: &predictionValue)
            encoder.encodeAudit(row: row, of: batch, predictionID: predictionID, timing: timing, into: &auditValue)
            try withBytes(metadata.key, of: batch) { key in
                try withPredictionHeaders(row: row, of: batch) { headers in
                    try predictionValue.withBytes { value in
                        try send(to: predictionTopic, key: key, value: value, headers: headers, timestampMilliseconds: createdAtMilliseconds, token: metadata.token)
                    }
                }
                try auditValue.withBytes { value in
                    try send(to: auditTopic, key: key, value: value, headers: [], timestampMilliseconds: createdAtMilliseconds, token: metadata.token)
                }
            }
        }
        books.statistics.predictions += batch.count
        books.statistics.audits += batch.count
    }

    /// Sends the event unchanged (key, value, headers) plus the error headers to the dead-letter
    /// topic. Rare by nature, so the headers are simply gathered into one array of bytes.
    func sendDeadLetter(_ message: KafkaMessage, topic: Int, error: FeatureDecodingError, token: DeliveryToken) throws {
        var names: [String] = []
        var ranges: [Range<Int>?] = []
        var bytes: [UInt8] = []
        message.forEachHeader { name, value in
            names.append(String(cString: name))
            ranges.append(value.map { value in
                bytes.append(contentsOf: value)
                return (bytes.count - value.count)..<bytes.count
            })
        }
        deadLetterHeaders.forEach(error: error, topic: topic, partition: message.partition, offset: message.offset) { name, value in
            names.append(name)
            bytes.append(contentsOf: value)
            ranges.append((bytes.count - value.count)..<bytes.count)
        }
        try bytes.withUnsafeBytes { bytes in
            let headers = zip(names, ranges).map { name, range in
                KafkaHeader(name: name, value: range.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) })
            }
            try send(to: deadLetterTopic, key: message.key, value: message.value, headers: headers, token: token)
        }
        books.statistics.deadLetters += 1
        observer?.processorDeadLettered(error, topic: inputTopics[topic], partition: message.partition, offset: message.offset)
    }

    /// Hands one output to the producer; while its queue is full (rare: it is sized from
    /// `max_in_flight`), serves delivery reports until it takes the message. Nothing is dropped:
    /// an output the producer refuses for good stops the processor with an error naming its input
    /// offset.
    private func send(
        to topic: KafkaProducerTopic,
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
        to topic: KafkaProducerTopic,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?,
        token: DeliveryToken
    ) throws -> KafkaSendOutcome {
        do {
            return try producer.send(
                to: topic, key: key, value: value, headers: headers, timestampMilliseconds: timestampMilliseconds, token: token.rawValue
            )
        } catch {
            guard let input = books.ledger.trackedOffset(of: token) else { throw error }
            throw ProcessorError.deliveryFailed(
                output: topic.name, topic: inputTopics[input.partition.topic], partition: input.partition.partition, offset: input.offset,
                resends: 0, reason: "\(error)"
            )
        }
    }

    /// The prediction's headers (id, model, the input's traceparent), lent for `body`, in a
    /// reused array.
    private func withPredictionHeaders(row: Int, of batch: MicroBatch, _ body: ([KafkaHeader]) throws -> Void) throws {
        try predictionID.withBytes { id in
            try encoder.modelHeaderValue.withUnsafeBytes { model in
                try withBytes(batch.rows[row].traceparent, of: batch) { traceparent in
                    headers.removeAll(keepingCapacity: true)
                    headers.append(KafkaHeader(name: RecordHeaderName.predictionID, value: id))
                    headers.append(KafkaHeader(name: RecordHeaderName.model, value: model))
                    if let traceparent { headers.append(KafkaHeader(name: RecordHeaderName.traceparent, value: traceparent)) }
                    try body(headers)
                }
            }
        }
    }

    private func withBytes(_ range: Range<Int>?, of batch: MicroBatch, _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        guard let range else { return try body(nil) }
        try batch.withBytes(range) { try body($0) }
    }
}
