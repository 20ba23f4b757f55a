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
                    guard let input = inputPartition(partition), ledger.slot(for: input) == nil else { continue }
                    _ = ledger.assign(input)
                }
                assigned.append(contentsOf: partitions)
                if backpressure.isPaused, !partitions.isEmpty { try consumer.pause(partitions) }
            case .revoked(let partitions):
                if !hasFailed { try finishWork(of: partitions) }
                release(partitions)
            case .lost(let partitions):
                release(partitions)
            }
            statistics.assignedPartitions = assigned.count
        } catch {
            rebalanceFailure = rebalanceFailure ?? error
        }
    }

    /// Scores the open batch (it may hold the partitions' events), waits for their outputs'
    /// acknowledgements, and commits their offsets synchronously.
    private func finishWork(of partitions: [KafkaTopicPartition]) throws {
        let revoked = partitions.compactMap(inputPartition)
        if revoked.contains(where: { ledger.inFlight($0) > 0 }) {
            try closeOpenBatch(now: clock.now)
            try awaitDeliveries { loop in revoked.allSatisfy { loop.ledger.inFlight($0) == 0 } }
        }
        try storeCommittable()
        let revokedOffsets = offsetsToStore.filter { partitions.contains($0.topicPartition) }
        if !revokedOffsets.isEmpty {
            try consumer.commit(revokedOffsets)
            statistics.commits += 1
        }
    }

    /// Forgets the partitions; whatever is still tracked for them is abandoned uncommitted.
    private func release(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions {
            guard let input = inputPartition(partition) else { continue }
            statistics.abandoned += ledger.abandon(input)
        }
        assigned.removeAll { partitions.contains($0) }
    }

    private func inputPartition(_ partition: KafkaTopicPartition) -> InputPartition? {
        topicIndices[partition.topic].map { InputPartition(topic: $0, partition: partition.partition) }
    }
}
