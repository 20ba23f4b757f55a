/// One partition of one configured input topic, named by the topic's index in `input.topics`:
/// the ledger's partition key, hashed per event without touching a string.
struct InputPartition: Hashable, Sendable {
    var topic: Int
    var partition: Int32
}
