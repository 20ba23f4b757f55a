/// What a ``Processor`` does with an output the broker did not take even after the producer's own
/// retries (with the idempotent producer, librdkafka retries retriable broker errors until
/// `message.timeout.ms`): a retriable failure is sent again after a backoff, at most
/// ``maxResends`` times per output; a non-retriable or exhausted one stops the processor. The
/// offset it belongs to stays uncommitted meanwhile, and so does every later one of its partition.
public struct DeliveryRetryPolicy: Sendable, Hashable {
    /// How many times one output is sent again before the processor gives up and stops.
    public var maxResends: Int
    /// The wait before an output's first resend; it doubles for each further one.
    public var initialBackoff: Duration
    /// The longest wait before a resend.
    public var maxBackoff: Duration

    public init(maxResends: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5)) {
        precondition(maxResends >= 0, "maxResends must not be negative")
        self.maxResends = maxResends
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before resend number `resend` (from 1) of one output.
    func backoff(beforeResend resend: Int) -> Duration {
        var backoff = initialBackoff
        for _ in 1..<max(1, resend) where backoff < maxBackoff { backoff *= 2 }
        return min(backoff, maxBackoff)
    }
}
