import SluiceKafka

extension ProcessorLoop {
    /// Takes a polled batch in: each event is tracked in the ledger and decoded straight into the
    /// open micro-batch, or sent to the dead-letter topic at once when it cannot be decoded.
    func take(_ messages: KafkaMessageBatch) throws {
        let now = clock.now
        let consumedAtMicroseconds = Self.wallClockMicroseconds()
        let decoder = self.decoder
        var digestAhead: (index: Int, digest: SHA256Hash)?
        for index in 0..<messages.count {
            let message = messages[index]
            let topic = topics.count == 1 ? 0 : topicIndices[message.topic] ?? 0
            guard let slot = ledger.slot(for: InputPartition(topic: topic, partition: message.partition)) else {
                // Left over from a partition given up since the poll began; not committed, so
                // its next owner reads it again.
                logger.warning("event of an unassigned partition ignored", metadata: ["partition": "\(message.topicPartition)"])
                continue
            }
            let batch = openBatch ?? ledger.beginBatch()
            openBatch = batch
            statistics.eventsIn += 1
            if let timestamp = message.timestampMilliseconds {
                statistics.consumeLatency.record(microseconds: consumedAtMicroseconds - timestamp * 1000)
            }
            let value = message.value
            do throws(FeatureDecodingError) {
                try batcher.withNextRow { (row) throws(FeatureDecodingError) in try decoder.decode(value, into: row) }
            } catch {
                let token = ledger.track(slot, offset: message.offset, outputs: 1, batch: batch)
                try sendDeadLetter(message, topic: topic, error: error, token: token)
                continue
            }
            let token = ledger.track(slot, offset: message.offset, outputs: 2, batch: batch)
            let key = message.key.map { batcher.store($0) }
            let traceparent = message.header(named: RecordHeaderName.traceparent).flatMap { $0 }.map { batcher.store($0) }
            let row = MicroBatch.Row(
                topic: topic, partition: message.partition, offset: message.offset,
                timestampMilliseconds: message.timestampMilliseconds, consumedAt: now, token: token,
                payloadDigest: payloadDigest(of: messages, at: index, ahead: &digestAhead), key: key, traceparent: traceparent
            )
            if batcher.append(row, now: now) == .closeBatch {
                try closeOpenBatch(now: clock.now)
            }
        }
    }

    /// SHA-256 of the payload of message `index`, hashed together with the next message's
    /// (``SHA256Hash/pair(_:_:)``, about as fast as one), whose hash waits in `ahead`.
    private func payloadDigest(of messages: KafkaMessageBatch, at index: Int, ahead: inout (index: Int, digest: SHA256Hash)?) -> SHA256Hash {
        if let waiting = ahead, waiting.index == index { return waiting.digest }
        guard index + 1 < messages.count else { return SHA256Hash(of: messages[index].value) }
        let (digest, next) = SHA256Hash.pair(messages[index].value, messages[index + 1].value)
        ahead = (index + 1, next)
        return digest
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
        statistics.deadLetters += 1
        observer?.processorDeadLettered(error, topic: topics[topic], partition: message.partition, offset: message.offset)
    }
}
