/// A change in the partitions a group consumer owns, handed to the loop that polls it.
///
/// The consumer has already done librdkafka's part when the handler sees `assigned`; for `revoked`
/// and `lost` the handler runs *before* the partitions are released, so it can finish (and commit)
/// or abandon their in-flight work first.
public enum KafkaRebalanceEvent: Sendable, Equatable {
    /// These partitions are now the consumer's (all of them with eager assignment, the added ones
    /// with cooperative-sticky).
    case assigned([KafkaTopicPartition])
    /// These partitions are being taken away in an orderly rebalance: offsets for finished work
    /// may still be committed.
    case revoked([KafkaTopicPartition])
    /// These partitions were lost (session timeout, fenced member): another member may already
    /// own them, so commits for them will fail and in-flight work should be abandoned.
    case lost([KafkaTopicPartition])
}
