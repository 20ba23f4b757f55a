/// Names one input offset tracked by an ``OffsetLedger``: given to the producer with each output
/// of that offset, and passed back with the delivery report.
public struct DeliveryToken: Hashable, Sendable {
    /// Slot (16 bits), slot generation (8 bits), sequence in the partition (40 bits).
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(slotIndex: Int, generation: UInt8, sequence: UInt64) {
        rawValue = UInt64(slotIndex) << 48 | UInt64(generation) << 40 | (sequence & DeliveryToken.sequenceMask)
    }

    static let sequenceMask: UInt64 = 1 << 40 - 1
    var slotIndex: Int { Int(rawValue >> 48) }
    var generation: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 40) }
    var sequence: UInt64 { rawValue & DeliveryToken.sequenceMask }
}

/// A micro-batch, numbered from 0 in the order batches begin.
public struct BatchID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: BatchID, rhs: BatchID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
