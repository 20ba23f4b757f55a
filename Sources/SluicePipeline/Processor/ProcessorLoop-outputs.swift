import SluiceKafka
import SluiceKernels

extension ProcessorLoop {
    /// Closes the open micro-batch, if any: seals it in the ledger, scores it, and sends its
    /// outputs.
    func closeOpenBatch(now: ContinuousClock.Instant) throws {
        guard let id = openBatch else { return }
        openBatch = nil
        ledger.seal(id)
        guard let batch = batcher.close(id: id, now: now) else { return }
        try score(batch)
        batcher.recycle(batch)
    }

    /// Predicts the batch and sends a prediction and an audit record per row, each carrying the
    /// row's ledger token. Only predictions have headers: the audit record's value holds its
    /// prediction id and model, and librdkafka allocates each header and frees it on delivery.
    func score(_ batch: MicroBatch) throws {
        let started = clock.now
        let outputs: [Tensor]
        do {
            outputs = try batch.features.withUnsafeBufferPointer { features in
                try session.predict(features: UnsafeBufferPointer(rebasing: features[0..<(batch.count * batch.width)]), rows: batch.count)
            }
        } catch {
            throw ProcessorError.predictionFailed(batch: batch.id, rows: batch.count, reason: "\(error)")
        }
        let compute = clock.now - started
        observer?.processorScored(batch, computeStartedAt: started, compute: compute)
        statistics.computeTime.record(microseconds: RecordEncoder.microseconds(compute))
        let timing = RecordEncoder.BatchTiming(computeStartedAt: started, compute: compute)
        var timestamps = spareTimestamps.popLast() ?? []
        // One timestamp for the batch's records: librdkafka would read the clock for each.
        let createdAtMilliseconds = Self.wallClockMicroseconds() / 1000
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
            if let timestamp = metadata.timestampMilliseconds { timestamps.append(timestamp) }
        }
        statistics.predictions += batch.count
        statistics.audits += batch.count
        statistics.batches += 1
        awaitedTimestamps.append((batch.id, timestamps))
    }

    /// Hands one output to the producer; while its queue is full (rare: it is sized from
    /// `max_in_flight`), serves delivery reports until it takes the message. Nothing is dropped:
    /// an output the producer refuses for good stops the processor with an error naming its input
    /// offset.
    func send(
        to topic: KafkaProducerTopic,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64? = nil,
        token: DeliveryToken
    ) throws {
        while try enqueue(to: topic, key: key, value: value, headers: headers, timestampMilliseconds: timestampMilliseconds, token: token) == .queueFull {
            statistics.producerQueueFullWaits += 1
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
            guard let input = ledger.trackedOffset(of: token) else { throw error }
            throw ProcessorError.deliveryFailed(
                output: topic.name, topic: topics[input.partition.topic], partition: input.partition.partition, offset: input.offset,
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
