import CRdKafka

/// Messages from one ``KafkaConsumer/poll(into:timeout:onRebalance:)``, owned in place: the batch
/// holds librdkafka's messages and lends them out as ``KafkaMessage`` views.
///
/// Create one batch per polling loop and refill it on every poll; refilling or releasing it destroys
/// the previous messages, which ends every view and buffer lent from them.
///
/// The batch keeps the client that polled its messages alive until it lets them go, so the
/// messages stay readable after their consumer is released, and librdkafka destroys the client
/// only once no message pins it (destroying it earlier would wait for them forever).
public final class KafkaMessageBatch {
    /// The most messages one poll may return.
    public let capacity: Int
    /// How many messages the batch holds.
    // Unchecked: read once per message on the hot path, and only `poll` and `release` (called by
    // the batch's one owner, never re-entrantly) write it, so dynamic exclusivity checks buy nothing.
    @exclusivity(unchecked) public private(set) var count = 0
    let slots: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    /// The client the messages came from; released only after them.
    private var client: RDKafkaClient?

    /// Makes an empty batch holding at most `capacity` messages.
    public init(capacity: Int) {
        precondition(capacity > 0, "a message batch needs room for at least one message")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit {
        release()
        slots.deallocate()
    }

    /// Whether the batch holds no messages.
    public var isEmpty: Bool { count == 0 }

    /// The message at `index` (`0..<count`); valid until the batch is refilled or released.
    public subscript(index: Int) -> KafkaMessage {
        precondition(index >= 0 && index < count, "message index \(index) out of 0..<\(count)")
        return KafkaMessage(pointer: slots[index]!)
    }

    /// Calls `body` with each message in poll order; per partition, that is offset order.
    public func forEach(_ body: (KafkaMessage) throws -> Void) rethrows {
        for index in 0..<count { try body(KafkaMessage(pointer: slots[index]!)) }
    }

    /// Destroys the messages now instead of at the next poll, returning their memory to librdkafka.
    /// When their consumer was released meanwhile, this is what destroys its client.
    public func release() {
        for index in 0..<count { rd_kafka_message_destroy(slots[index]) }
        count = 0
        client = nil
    }

    /// Takes the first `filled` slots as messages freshly polled from `client`.
    func adopt(_ filled: Int, from client: RDKafkaClient) {
        count = filled
        self.client = filled > 0 ? client : nil
    }

    /// Removes the message at `index`, destroying it, keeping the others in order.
    func remove(at index: Int) {
        rd_kafka_message_destroy(slots[index])
        (slots + index).update(from: slots + index + 1, count: count - index - 1)
        count -= 1
    }
}
