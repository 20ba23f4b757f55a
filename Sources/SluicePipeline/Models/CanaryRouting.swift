/// Which events the canary model scores (`model.canary.percent`): those whose stable hash falls
/// below the share, so that one key always meets the same model, on every instance, across
/// restarts and rebalances.
///
/// The hash is 64-bit FNV-1a, taken modulo 10,000: an event goes to the canary when it is below
/// `percent × 100` (the percent to a hundredth). A keyed event hashes its key's bytes; an event
/// without a key hashes its input topic's name, partition and offset (each little-endian), which
/// is stable for that event (a redelivery meets the same model) but spreads a keyless stream's
/// events over both models.
public struct CanaryRouting: Sendable, Hashable {
    /// Hash buckets, out of ``buckets``, that go to the canary.
    public let canaryBuckets: UInt64
    /// The hash's modulus: a share is resolved to a hundredth of a percent.
    public static let buckets: UInt64 = 10_000

    public init(percent: Double) {
        canaryBuckets = UInt64((min(max(percent, 0), 100) * 100).rounded())
    }

    /// Whether the event with key `key` goes to the canary.
    public func routesToCanary(key: UnsafeRawBufferPointer) -> Bool {
        Self.fnv1a(key) % Self.buckets < canaryBuckets
    }

    /// Whether the event without a key at `offset` of `topic`'s `partition` goes to the canary.
    public func routesToCanary(topic: String, partition: Int32, offset: Int64) -> Bool {
        var hash = Self.fnvOffsetBasis
        var name = topic
        name.withUTF8 { hash = Self.fnv1a(UnsafeRawBufferPointer($0), continuing: hash) }
        withUnsafeBytes(of: partition.littleEndian) { hash = Self.fnv1a($0, continuing: hash) }
        withUnsafeBytes(of: offset.littleEndian) { hash = Self.fnv1a($0, continuing: hash) }
        return hash % Self.buckets < canaryBuckets
    }

    /// FNV-1a's 64-bit offset basis: the hash of no bytes.
    public static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// 64-bit FNV-1a of `bytes`, continuing from `hash` (the offset basis for a fresh hash).
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer, continuing hash: UInt64 = fnvOffsetBasis) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= fnvPrime
        }
        return hash
    }
}
