import SluiceKafka

extension ProcessorLoop {
    /// Applies a rebalance inside the poll that delivered it, before librdkafka releases revoked
    /// partitions: their in-flight work is finished and committed first (or, when lost, given up
    /// uncommitted). Errors are kept and rethrown after the poll.
    func handleRebalance(_ event: KafkaRebalanceEvent) {
        observer?.processorRebalanced(event)
        do {
            switch event {
            case .assigned(let partitions):
                for partition in partitions {
                    guard let input = assignment.inputPartition(partition), books.ledger.slot(for: input) == nil else { continue }
                    _ = books.ledger.assign(input)
                }
                assignment.add(partitions)
                commitsOnNextStore = true
                try setPaused(backpressure.isPaused, partitions)
            case .revoked(let partitions):
                if lifecycle != .failed {
                    // A transaction that cannot commit here stops the processor (a fenced zombie)
                    // or was aborted and its input rewound; either way nothing is released
                    // half-committed.
                    if transactions != nil { try commitTransaction() } else { finishWork(of: partitions) }
                }
                try release(partitions)
            case .lost(let partitions):
                try release(partitions)
                // The open transaction holds their work, which is no longer this instance's.
                transactions?.forget(partitions, assignment)
                try abortTransaction()
            }
            books.statistics.assignedPartitions = assignment.assigned.count
        } catch {
            rebalanceFailure = rebalanceFailure ?? error
        }
    }

    /// Sets librdkafka's pause state of newly assigned or released partitions explicitly:
    /// librdkafka keeps a partition's pause across its unassignment and a later assignment, so a
    /// partition lost while back-pressure had it paused would otherwise come back paused, and the
    /// loop, which no longer counts it as paused, would never consume from it again.
    private func setPaused(_ paused: Bool, _ partitions: [KafkaTopicPartition]) throws {
        guard !partitions.isEmpty else { return }
        if paused { try consumer.pause(partitions) } else { try consumer.resume(partitions) }
    }

    /// Scores the open batch (it may hold the partitions' events), waits for their outputs'
    /// acknowledgements, and commits their offsets synchronously: every offset stored for them,
    /// as the background commit may not have taken the ones stored before (and the group must
    /// not hand the partitions on before the commit is in). When that fails (the brokers
    /// do not acknowledge within the drain timeout, the commit is refused because the group moved
    /// on), the partitions are released with what is uncommitted: their next owner redoes it.
    private func finishWork(of partitions: [KafkaTopicPartition]) {
        let revoked = partitions.compactMap(assignment.inputPartition)
        do {
            if revoked.contains(where: { books.ledger.inFlight($0) > 0 }) {
                try closeOpenBatch()
                try outputs.awaitDeliveries(timeout: processor.options.drainTimeout) {
                    revoked.allSatisfy { books.ledger.inFlight($0) == 0 }
                }
            }
            try storeCommittable()
            let revokedOffsets = partitions.compactMap { partition in
                lastStoredOffsets[partition].map { KafkaPartitionOffset(partition, offset: $0) }
            }
            if !revokedOffsets.isEmpty {
                try consumer.commit(revokedOffsets)
                books.statistics.commits += 1
            }
        } catch {
            logger.warning(
                "revoked partitions released without finishing their work; their next owner redoes it",
                metadata: ["partitions": "\(partitions)", "error": "\(error)"]
            )
        }
    }

    /// Forgets the partitions; whatever is still tracked for them is abandoned uncommitted.
    private func release(_ partitions: [KafkaTopicPartition]) throws {
        for partition in partitions {
            lastStoredOffsets[partition] = nil
            guard let input = assignment.inputPartition(partition) else { continue }
            books.statistics.abandoned += books.ledger.abandon(input)
        }
        assignment.remove(partitions)
        if backpressure.isPaused { try setPaused(false, partitions) }
    }
}
