import Logging
import SluiceKafka

/// Takes polled events into the processor: tracks each in the ledger and decodes it straight
/// into the open micro-batch with its payload's SHA-256, or, when it cannot be decoded (or, in
/// exactly-once delivery, an output of it was refused for good before), tracks it with one output
/// and hands it to the dead-letter topic at once. Owns the micro-batcher and so
/// the open batch. Used only on the loop's thread.
final class InputIntake {
    let books: ProcessorBooks
    let decoder: EventDecoder
    let logger: Logger
    let clock = ContinuousClock()
    private var batcher: MicroBatcher
    /// The ledger's batch the batcher's open batch belongs to, once an event joined it.
    private var openBatch: BatchID?
    /// The outputs the ledger awaits for each event that joins a batch.
    let outputsPerEvent: Int

    init(configuration: SluiceConfiguration, decoder: EventDecoder, books: ProcessorBooks, logger: Logger) {
        outputsPerEvent = configuration.outputsPerScoredEvent
        self.books = books
        self.decoder = decoder
        self.logger = logger
        batcher = MicroBatcher(
            limits: .init(maxSize: configuration.batching.maxSize, maxDelay: configuration.batching.maxDelay),
            layout: decoder.layout
        )
    }

    /// When the open batch must close, or `nil` while it has no row.
    var deadline: ContinuousClock.Instant? { batcher.deadline }

    /// Takes a polled batch in. A micro-batch that fills is closed and handed to `score` before
    /// the next event is decoded. An event whose schema cannot be had now is decoded again after
    /// each `holdForSchema(reason, attempt)` returns true; when it returns false (the processor
    /// stops) the rest of the batch is left untracked, so its offsets are never committed.
    func take<Batch: RecordBatch, Sink: RecordSink>(
        _ messages: Batch,
        assignment: PartitionAssignment,
        deadLetters: OutputSender<Sink>,
        score: (MicroBatch) throws -> Void,
        holdForSchema: (String, Int) throws -> Bool
    ) throws {
        let now = clock.now
        let consumedAtMicroseconds = LatencyTracker.wallClockMicroseconds()
        var digestAhead: (index: Int, digest: SHA256Hash)?
        // Read once per poll, not per event: each read of the decoder's stored properties copies them.
        let json: FeatureDecoder? = if case .json = decoder.schemas { decoder.json } else { nil }
        for index in 0..<messages.count {
            let message = messages[index]
            let topic = assignment.topicIndex(of: message)
            guard let slot = books.ledger.slot(for: InputPartition(topic: topic, partition: message.partition)) else {
                // Left over from a partition given up since the poll began; not committed, so
                // its next owner reads it again.
                logger.warning("event of an unassigned partition ignored", metadata: ["partition": "\(message.topicPartition)"])
                continue
            }
            let batch = openBatch ?? books.ledger.beginBatch()
            openBatch = batch
            books.statistics.eventsIn += 1
            if let timestamp = message.timestampMilliseconds {
                books.statistics.consumeLatency.record(microseconds: consumedAtMicroseconds - timestamp * 1000)
            }
            if !books.refusals.isEmpty,
                let refusal = books.refusals.take(InputPartition(topic: topic, partition: message.partition), offset: message.offset)
            {
                let token = books.ledger.track(slot, offset: message.offset, outputs: 1, batch: batch)
                try deadLetters.sendDeadLetter(message, topic: topic, refusal: refusal, token: token)
                continue
            }
            let value = message.value
            if let error = try decode(value, json: json, holdForSchema: holdForSchema) {
                guard case .undecodable(let error) = error else { return }
                let token = books.ledger.track(slot, offset: message.offset, outputs: 1, batch: batch)
                try deadLetters.sendDeadLetter(message, topic: topic, error: error, token: token)
                continue
            }
            let token = books.ledger.track(slot, offset: message.offset, outputs: outputsPerEvent, batch: batch)
            let key = message.key.map { batcher.store($0) }
            let traceparent = message.header(named: RecordHeaderName.traceparent).flatMap { $0 }.map { batcher.store($0) }
            let row = MicroBatch.Row(
                topic: topic, partition: message.partition, offset: message.offset,
                timestampMilliseconds: message.timestampMilliseconds, consumedAt: now, token: token,
                payloadDigest: payloadDigest(of: messages, at: index, ahead: &digestAhead), key: key, traceparent: traceparent
            )
            if batcher.append(row, now: now) == .closeBatch, let full = closeOpenBatch(now: clock.now) {
                try score(full)
                batcher.recycle(full)
            }
        }
    }

    /// Decodes `value` into the open batch's next row, with `json` when events are JSON: `nil`
    /// when it is decoded, the failure when it is undecodable, or `.schemaUnavailable` when the
    /// hold was given up (the processor stops). While the event's schema cannot be had it is
    /// tried again after each `holdForSchema`.
    @inline(__always)
    private func decode(_ value: UnsafeRawBufferPointer, json: FeatureDecoder?, holdForSchema: (String, Int) throws -> Bool) throws -> EventDecoder.Failure? {
        if let json {
            do throws(FeatureDecodingError) {
                try batcher.decodeNextRow(value, with: json)
                return nil
            } catch {
                return .undecodable(error)
            }
        }
        var attempt = 0
        while true {
            do throws(EventDecoder.Failure) {
                try batcher.decodeNextRow(value, with: decoder)
                return nil
            } catch {
                guard case .schemaUnavailable(let reason) = error else { return error }
                guard try holdForSchema(reason, attempt) else { return error }
                attempt += 1
            }
        }
    }

    /// Closes the open micro-batch when its deadline has passed, or seals a ledger batch that
    /// only dead letters joined (nothing waits for its deadline); returns a closed batch to score.
    func closeIfDue(now: ContinuousClock.Instant) -> MicroBatch? {
        if batcher.isDue(now: now) { return closeOpenBatch(now: now) }
        if batcher.count == 0, let batch = openBatch {
            books.ledger.seal(batch)
            openBatch = nil
        }
        return nil
    }

    /// Closes the open micro-batch, if any: seals it in the ledger and returns it to score, or
    /// `nil` when no row joined it.
    func closeOpenBatch(now: ContinuousClock.Instant) -> MicroBatch? {
        guard let id = openBatch else { return nil }
        openBatch = nil
        books.ledger.seal(id)
        return batcher.close(id: id, now: now)
    }

    /// Takes back a scored batch's storage.
    func recycle(_ batch: consuming MicroBatch) {
        batcher.recycle(batch)
    }

    /// SHA-256 of the payload of message `index`, hashed together with the next message's
    /// (``SHA256Hash/pair(_:_:)``, about as fast as one), whose hash waits in `ahead`.
    private func payloadDigest(of messages: some RecordBatch, at index: Int, ahead: inout (index: Int, digest: SHA256Hash)?) -> SHA256Hash {
        if let waiting = ahead, waiting.index == index { return waiting.digest }
        guard index + 1 < messages.count else { return SHA256Hash(of: messages[index].value) }
        let (digest, next) = SHA256Hash.pair(messages[index].value, messages[index + 1].value)
        ahead = (index + 1, next)
        return digest
    }
}
