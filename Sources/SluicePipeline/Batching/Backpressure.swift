/// High/low watermark back-pressure over the events in flight (consumed, not yet committable),
/// after SwiftNIO's `HighLowWatermark`, in two steps.
///
/// At or above `high` the loop stops *taking* events from the consumer's local queue, and takes
/// again only at or below `low`, so that it does not flap. While it holds, librdkafka keeps
/// prefetching until its own bound (`queued.max.messages.kbytes`), so memory stays bounded and,
/// when the outputs catch up, the prefetched events are there at once: a catch-up through any
/// backlog runs at the steady rate. Pausing the partitions, which makes librdkafka drop what it
/// prefetched and fetch it again, is the last resort: only when holding has lasted `pauseAfter`
/// (the brokers stopped acknowledging), so that the loop can poll the consumer again and keep
/// serving rebalances without taking more events.
///
/// A state machine: the loop reports changes with the time, and performs the returned action.
public struct Backpressure: Sendable {
    /// What the loop must do.
    public enum Action: Equatable, Sendable {
        case none
        /// Stop polling the consumer for events; keep serving delivery reports.
        case stopTaking
        /// Poll the consumer for events again.
        case resumeTaking
        /// Pause every assigned partition (and pause new assignments while paused), and poll the
        /// consumer again, so that rebalances are served.
        case pausePartitions
        /// Resume the paused partitions and take events again.
        case resumePartitions
    }

    /// Where the input stands.
    public enum State: Equatable, Sendable {
        /// Events are taken as they come.
        case taking
        /// Events wait in librdkafka's local queue, since `since`.
        case holding(since: ContinuousClock.Instant)
        /// The partitions are paused.
        case paused
    }

    /// Hold the input at or above this many events in flight.
    public let high: Int
    /// Take events again at or below this many.
    public let low: Int
    /// How long holding may last before the partitions are paused.
    public let pauseAfter: Duration
    public private(set) var inFlight = 0
    public private(set) var state = State.taking

    public init(high: Int, low: Int, pauseAfter: Duration) {
        precondition(low >= 0 && low < high, "need 0 <= low < high, got low \(low), high \(high)")
        precondition(pauseAfter >= .zero, "pauseAfter must not be negative")
        self.high = high
        self.low = low
        self.pauseAfter = pauseAfter
    }

    /// Whether the loop polls the consumer: while taking, and while paused (nothing arrives from
    /// paused partitions, but rebalances do).
    public var pollsConsumer: Bool { !isHolding }

    /// Whether the partitions are paused.
    public var isPaused: Bool { state == .paused }

    /// Whether events are held in librdkafka's queue.
    public var isHolding: Bool {
        if case .holding = state { return true }
        return false
    }

    /// The events in flight changed (the ledger's count), or time passed, at `now`.
    public mutating func inFlightChanged(to count: Int, now: ContinuousClock.Instant) -> Action {
        inFlight = count
        switch state {
        case .taking where count >= high:
            state = .holding(since: now)
            return pauseAfter == .zero ? pause() : .stopTaking
        case .holding where count <= low:
            state = .taking
            return .resumeTaking
        case .holding(let since) where now - since >= pauseAfter:
            return pause()
        case .paused where count <= low:
            state = .taking
            return .resumePartitions
        default:
            return .none
        }
    }

    private mutating func pause() -> Action {
        state = .paused
        return .pausePartitions
    }
}
