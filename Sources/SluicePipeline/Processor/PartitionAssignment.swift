import SluiceKafka

/// The input partitions assigned to the processor, in assignment order, and how a partition maps
/// to the ledger's ``InputPartition`` (the input topic's index in `input.topics`).
struct PartitionAssignment {
    /// The input topics, in `input.topics` order.
    let topics: [String]
    private let topicIndices: [String: Int]
    private(set) var assigned: [KafkaTopicPartition] = []

    init(topics: [String]) {
        self.topics = topics
        topicIndices = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($1, $0) })
    }

    /// The index in `input.topics` of a consumed message's topic.
    func topicIndex(of message: some SourceRecord) -> Int {
        topics.count == 1 ? 0 : topicIndices[message.topic] ?? 0
    }

    /// The ledger's name for `partition`, or `nil` for a topic not consumed.
    func inputPartition(_ partition: KafkaTopicPartition) -> InputPartition? {
        topicIndices[partition.topic].map { InputPartition(topic: $0, partition: partition.partition) }
    }

    mutating func add(_ partitions: [KafkaTopicPartition]) {
        assigned.append(contentsOf: partitions)
    }

    mutating func remove(_ partitions: [KafkaTopicPartition]) {
        assigned.removeAll { partitions.contains($0) }
    }
}
