/// Which input offsets may be committed: offset `o` of a partition becomes committable when every
/// output it produced (prediction and audit, or its dead letter) and every output of every earlier
/// offset of that partition is acknowledged by the broker.
///
/// One loop owns the ledger, so it needs no locks. The hot path (``track(_:offset:outputs:batch:)``
/// and ``acknowledge(_:delivered:)``) is O(1) amortised and allocates nothing once its ring buffers
/// have grown to the in-flight window: each partition keeps its offsets in a ring indexed by a
/// sequence number, and the ``Token`` handed to the producer with each output names the partition
/// slot, the slot's generation and that sequence number, so a delivery report finds its entry
/// directly and a report for a revoked partition is recognised as stale.
///
/// A failed delivery is never skipped: it is reported back, and its offset (and so every later one
/// of its partition) stays uncommittable until the same token is acknowledged as delivered.
///
/// Batches are tracked too, so that ``drainAcknowledgedBatches(_:)`` reports each sealed batch as
/// soon as all its outputs are acknowledged, for measuring its events' latency.
public struct OffsetLedger<Partition: Hashable & Sendable>: Sendable {
    /// A partition's place in the ledger, from ``assign(_:)``; valid until the partition is
    /// released or abandoned.
    public struct Slot: Hashable, Sendable {
        let index: Int
        let generation: UInt8
    }

    public typealias Token = DeliveryToken
    public typealias BatchID = SluicePipeline.BatchID

    /// What a delivery report changed.
    public enum Acknowledgement: Equatable, Sendable {
        /// Recorded; ``drainCommittable(_:)`` tells whether an offset became committable.
        case recorded
        /// The output belongs to a partition this ledger no longer tracks (revoked and released,
        /// or abandoned): nothing to do.
        case stale
        /// The broker did not take the output: retry it with the same token, or stop. The offset
        /// stays uncommittable meanwhile.
        case failed(Partition, offset: Int64)
    }

    /// What a revoke found.
    public enum RevokeOutcome: Equatable, Sendable {
        /// Nothing was in flight: the partition is released now. Commit `committableOffset` (the
        /// next offset to read, if anything was tracked and not yet drained) before handing the
        /// partition back.
        case released(committableOffset: Int64?)
        /// Outputs are still awaited for `inFlight` offsets; the partition is released through
        /// ``drainReleased(_:)`` once they are all acknowledged.
        case pending(inFlight: Int)
    }

    var slots: [PartitionRing?] = []
    private var generations: [UInt8] = []
    private var freeSlots: [Int] = []
    private var slotByPartition: [Partition: Int] = [:]
    private var dirtySlots: [Int] = []
    private var released: [Partition] = []
    var batches = BatchRing()

    /// The number of tracked offsets not yet committable, over all partitions.
    public private(set) var inFlight = 0

    public init() {}

    /// Starts tracking `partition`. Assigning a partition twice is a programming error.
    public mutating func assign(_ partition: Partition) -> Slot {
        precondition(slotByPartition[partition] == nil, "\(partition) is already assigned")
        let index: Int
        if let free = freeSlots.popLast() {
            index = free
        } else {
            precondition(slots.count < 1 << 16, "more than 65536 partitions")
            index = slots.count
            slots.append(nil)
            generations.append(0)
        }
        generations[index] &+= 1
        slots[index] = PartitionRing(partition: partition)
        slotByPartition[partition] = index
        return Slot(index: index, generation: generations[index])
    }

    /// The slot of an assigned partition, or `nil`.
    public func slot(for partition: Partition) -> Slot? {
        slotByPartition[partition].map { Slot(index: $0, generation: generations[$0]) }
    }

    /// Begins a batch; offsets are tracked in it until it is sealed.
    public mutating func beginBatch() -> BatchID {
        BatchID(rawValue: batches.begin())
    }

    /// Declares that no more offsets join `batch`.
    public mutating func seal(_ batch: BatchID) {
        batches.seal(batch.rawValue)
    }

    /// Records that `offset` of the slot's partition was consumed and awaits `outputs` outputs
    /// (2 for prediction and audit, 1 for a dead letter, 0 if it produced nothing). Offsets must
    /// be tracked in increasing order per partition.
    @inline(__always)
    public mutating func track(_ slot: Slot, offset: Int64, outputs: Int, batch: BatchID) -> Token {
        precondition(generations[slot.index] == slot.generation && slots[slot.index] != nil, "tracking on a released slot")
        precondition(outputs >= 0 && outputs <= Int(UInt16.max), "outputs out of range: \(outputs)")
        batches.add(outputs: outputs, to: batch.rawValue)
        inFlight += 1
        let sequence = slots[slot.index]!.append(offset: offset, outputs: UInt16(outputs), batch: batch.rawValue)
        if outputs == 0 { advance(slotIndex: slot.index) }
        return Token(slotIndex: slot.index, generation: slot.generation, sequence: sequence)
    }

    /// Applies one delivery report for an output sent with `token`.
    @inline(__always)
    public mutating func acknowledge(_ token: Token, delivered: Bool) -> Acknowledgement {
        let index = token.slotIndex
        guard index < slots.count, generations[index] == token.generation, slots[index] != nil else { return .stale }
        guard delivered else {
            let ring = slots[index]!
            return .failed(ring.partition, offset: ring.offset(at: token.sequence))
        }
        let batch = slots[index]!.acknowledge(sequence: token.sequence)
        batches.acknowledge(batch)
        advance(slotIndex: index)
        return .recorded
    }

    /// The input offset a token names while it still awaits outputs, or `nil` once it became
    /// committable or its partition was released: a failed output is worth sending again only
    /// while its offset is tracked.
    public func trackedOffset(of token: Token) -> (partition: Partition, offset: Int64)? {
        let index = token.slotIndex
        guard index < slots.count, generations[index] == token.generation, let ring = slots[index],
            ring.tracks(sequence: token.sequence)
        else { return nil }
        return (ring.partition, ring.offset(at: token.sequence))
    }

    @inline(__always)
    private mutating func advance(slotIndex index: Int) {
        let completed = slots[index]!.advance()
        guard completed > 0 else { return }
        inFlight -= completed
        if !slots[index]!.isDirty {
            slots[index]!.isDirty = true
            dirtySlots.append(index)
        }
        if slots[index]!.isRevoking && slots[index]!.isEmpty {
            released.append(slots[index]!.partition)
        }
    }

    /// Calls `body` with each partition whose committable offset moved since the last drain, and
    /// that offset: the next offset to read, to be committed (or stored) as is.
    public mutating func drainCommittable(_ body: (Partition, Int64) throws -> Void) rethrows {
        while let index = dirtySlots.popLast() {
            guard slots[index]?.isDirty == true else { continue }
            slots[index]!.isDirty = false
            try body(slots[index]!.partition, slots[index]!.committableOffset!)
        }
    }

    /// Calls `body` with each revoked partition whose outputs are now all acknowledged, and forgets
    /// it. Drain committable offsets first, so that the partition's last offsets are committed
    /// before it is handed back.
    public mutating func drainReleased(_ body: (Partition) throws -> Void) rethrows {
        while !released.isEmpty {
            let partition = released.removeFirst()
            drop(partition)
            try body(partition)
        }
    }

    /// Calls `body` with each sealed batch whose outputs all became acknowledged (or abandoned
    /// with their partition) since the last call, as soon as that happened: a batch does not wait
    /// for earlier ones. Drain it regularly, even when not using the batches: the batch ring
    /// forgets finished batches only then.
    public mutating func drainAcknowledgedBatches(_ body: (BatchID) throws -> Void) rethrows {
        try batches.takeFinished { try body(BatchID(rawValue: $0)) }
        batches.forgetFinishedPrefix()
    }

    /// The number of offsets of `partition` still awaiting outputs.
    public func inFlight(_ partition: Partition) -> Int {
        slotByPartition[partition].map { slots[$0]!.count } ?? 0
    }

    /// Starts releasing `partition`: at once if nothing is in flight, else once its outputs are
    /// acknowledged (see ``drainReleased(_:)``). Its offsets stay tracked meanwhile.
    public mutating func revoke(_ partition: Partition) -> RevokeOutcome {
        guard let index = slotByPartition[partition] else { return .released(committableOffset: nil) }
        let ring = slots[index]!
        guard ring.isEmpty else {
            slots[index]!.isRevoking = true
            return .pending(inFlight: ring.count)
        }
        drop(partition)
        return .released(committableOffset: ring.isDirty ? ring.committableOffset : nil)
    }

    /// Forgets `partition` at once, with whatever is in flight for it (which will then be
    /// consumed again by whoever gets the partition), and returns how many offsets that was.
    /// Later delivery reports for it are ``Acknowledgement/stale``.
    @discardableResult
    public mutating func abandon(_ partition: Partition) -> Int {
        guard let index = slotByPartition[partition] else { return 0 }
        let ring = slots[index]!
        ring.forEachPending { batch, outputs in batches.abandon(outputs: outputs, of: batch) }
        drop(partition)
        released.removeAll { $0 == partition }
        return ring.count
    }

    private mutating func drop(_ partition: Partition) {
        guard let index = slotByPartition.removeValue(forKey: partition) else { return }
        inFlight -= slots[index]!.count
        slots[index] = nil
        freeSlots.append(index)
    }
}
