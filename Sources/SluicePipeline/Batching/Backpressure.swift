/// High/low watermark back-pressure over the events in flight (consumed, not yet committable),
/// after SwiftNIO's `HighLowWatermark`: at or above `high` the loop pauses its partitions, and it
/// resumes them only at or below `low`, so that it does not flap. A full producer queue pauses
/// too, and holds closed batches back until the producer drains.
///
/// A state machine: the loop reports changes and performs the returned action.
public struct Backpressure: Sendable {
    /// What the loop must do.
    public enum Action: Equatable, Sendable {
        case none
        /// Pause every assigned partition (and pause new assignments while paused). Keep serving
        /// rebalances and delivery reports.
        case pausePartitions
        /// Resume the paused partitions.
        case resumePartitions
    }

    /// Pause at or above this many events in flight.
    public let high: Int
    /// Resume at or below this many.
    public let low: Int
    public private(set) var inFlight = 0
    /// Whether the producer's queue is full: send no more batches until it drains.
    public private(set) var isProducerFull = false
    /// Whether partitions are paused.
    public private(set) var isPaused = false

    public init(high: Int, low: Int) {
        precondition(low >= 0 && low < high, "need 0 <= low < high, got low \(low), high \(high)")
        self.high = high
        self.low = low
    }

    /// Whether a closed batch may be handed to the producer now.
    public var mayProduce: Bool { !isProducerFull }

    /// The events in flight changed (the ledger's count).
    public mutating func inFlightChanged(to count: Int) -> Action {
        inFlight = count
        return update()
    }

    /// The producer refused a message because its queue is full.
    public mutating func producerQueueFull() -> Action {
        isProducerFull = true
        return update()
    }

    /// The producer accepted messages again (delivery reports freed its queue).
    public mutating func producerQueueDrained() -> Action {
        isProducerFull = false
        return update()
    }

    private mutating func update() -> Action {
        if !isPaused, inFlight >= high || isProducerFull {
            isPaused = true
            return .pausePartitions
        }
        if isPaused, inFlight <= low, !isProducerFull {
            isPaused = false
            return .resumePartitions
        }
        return .none
    }
}
