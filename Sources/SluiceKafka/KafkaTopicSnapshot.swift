import Logging

/// Reads topics from their oldest retained record up to where each partition ended when it was
/// assigned, then stops: a snapshot of what the topics held, for tools that read back what was
/// written (records produced meanwhile are left out). Reads as a consumer of `configuration`'s
/// group, which should be a throw-away one with auto-commit off: it commits nothing.
public enum KafkaTopicSnapshot {
    /// Hands every record of `topics`, up to each partition's end, to `body` on the calling
    /// thread, partition by partition in offset order (partitions interleaved). `body` returns
    /// `false` to stop early. `start`, when given, says where to begin in a partition from its
    /// watermarks and the number of partitions assigned (e.g. to read only recent records);
    /// otherwise each partition is read from its oldest record.
    ///
    /// - Throws: ``KafkaError`` when the consumer fails, or when no partition of `topics` was
    ///   assigned within `assignmentTimeout` (a topic that does not exist, a broker that is down).
    public static func read(
        _ topics: [String],
        configuration: KafkaConsumerConfiguration,
        logger: Logger,
        assignmentTimeout: Duration = .seconds(30),
        start: ((KafkaTopicPartition, KafkaWatermarks, Int) -> Int64)? = nil,
        _ body: (KafkaMessage) throws -> Bool
    ) throws {
        var configuration = configuration
        configuration.offsetReset = .earliest
        configuration.isAutoCommitEnabled = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let batch = KafkaMessageBatch(capacity: 512)
        defer {
            batch.release()
            try? consumer.close()
        }
        try consumer.subscribe(to: topics)
        // The offsets read in each assigned partition: from `low` (its oldest record, or `start`'s) up to `high`.
        var ranges: [KafkaTopicPartition: KafkaWatermarks] = [:]
        var assigned: [KafkaTopicPartition] = []
        let clock = ContinuousClock()
        let deadline = clock.now + assignmentTimeout
        while true {
            try consumer.poll(into: batch, timeout: .milliseconds(100)) { event in
                if case .assigned(let partitions) = event { assigned += partitions }
            }
            for partition in assigned {
                ranges[partition] = try consumer.watermarks(for: partition, timeout: .seconds(10))
            }
            if let start, !assigned.isEmpty {
                let offsets = assigned.map { partition in
                    let watermarks = ranges[partition]!
                    let offset = min(max(start(partition, watermarks, assigned.count), watermarks.low), watermarks.high)
                    ranges[partition]!.low = offset
                    return KafkaPartitionOffset(partition, offset: offset)
                }
                try consumer.seek(offsets, timeout: .seconds(10))
            }
            assigned.removeAll()
            var keepReading = true
            try batch.forEach { (message: KafkaMessage) throws in
                guard keepReading, let end = ranges[message.topicPartition], message.offset >= end.low, message.offset < end.high else { return }
                keepReading = try body(message)
            }
            if !keepReading { return }
            if ranges.isEmpty {
                if clock.now >= deadline { throw KafkaError(code: .timedOut, message: "no partition of \(topics.joined(separator: ", ")) was assigned") }
                continue
            }
            let positions = try consumer.positions(for: Array(ranges.keys))
            // A position is the next offset to read: past the end once the last record (or a
            // transaction marker after it) was read; an empty partition has nothing to read.
            if positions.allSatisfy({ position in
                guard let end = ranges[position.topicPartition] else { return true }
                return end.high <= end.low || position.offset >= end.high
            }) {
                return
            }
        }
    }
}
