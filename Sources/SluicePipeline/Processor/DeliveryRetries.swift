import SluiceKafka

/// The outputs a processor's loop is to send again, soonest first, and how often each output
/// (an input offset's token and an output topic) was already sent again. Failures are rare, so
/// plain arrays and a dictionary serve.
struct DeliveryRetries {
    struct Output: Hashable {
        var token: UInt64
        var topic: String

        init(_ message: KafkaUndeliveredMessage) {
            self.init(token: message.token, topic: message.topic)
        }

        init(token: UInt64, topic: String) {
            self.token = token
            self.topic = topic
        }
    }

    private var scheduled: [(due: ContinuousClock.Instant, message: KafkaUndeliveredMessage)] = []
    private var resends: [Output: Int] = [:]

    /// Whether nothing is scheduled or remembered.
    var isEmpty: Bool { scheduled.isEmpty && resends.isEmpty }

    /// How many times this output was already sent again.
    func resendCount(of message: KafkaUndeliveredMessage) -> Int {
        resends[Output(message), default: 0]
    }

    /// Schedules `message` to be sent again at `due`.
    mutating func schedule(_ message: KafkaUndeliveredMessage, at due: ContinuousClock.Instant) {
        let index = scheduled.firstIndex { $0.due > due } ?? scheduled.endIndex
        scheduled.insert((due, message), at: index)
    }

    /// When the soonest scheduled resend is due, if any is scheduled.
    var nextDueTime: ContinuousClock.Instant? { scheduled.first?.due }

    /// The scheduled message due soonest, if it is due at `now`.
    func nextDue(now: ContinuousClock.Instant) -> KafkaUndeliveredMessage? {
        guard let first = scheduled.first, first.due <= now else { return nil }
        return first.message
    }

    /// Takes the message ``nextDue(now:)`` returned off the schedule, counting a resend when it
    /// was sent.
    mutating func removeNext(sent: Bool) {
        let message = scheduled.removeFirst().message
        if sent { resends[Output(message), default: 0] += 1 }
    }

    /// Forgets the resend counts of outputs whose offsets are settled (committable, or given up).
    mutating func forgetSettled(_ isSettled: (_ token: UInt64) -> Bool) {
        guard !resends.isEmpty else { return }
        let scheduledOutputs = Set(scheduled.map { Output($0.message) })
        resends = resends.filter { scheduledOutputs.contains($0.key) || !isSettled($0.key.token) }
    }
}

/// An output the broker (or the producer, before sending) refused for good, waiting for the
/// dead letter that takes its place.
struct RejectedOutput {
    var topic: String
    var key: [UInt8]?
    var token: UInt64
    var input: InputPartition
    var offset: Int64
    /// Why the producer or the broker refused it.
    var error: KafkaError
}
