extension OffsetLedger {
    /// One partition's tracked offsets, oldest first, in a ring that doubles when full.
    struct PartitionRing: Sendable {
        struct Entry: Sendable {
            var offset: Int64
            var batch: UInt64
            var remaining: UInt16
        }

        let partition: Partition
        private var entries: [Entry]
        private var head: UInt64 = 0
        private var tail: UInt64 = 0
        private var lastOffset: Int64 = .min
        /// The next offset to read after the acknowledged prefix, once there is one.
        private(set) var committableOffset: Int64?
        /// Whether ``committableOffset`` moved since the last drain.
        var isDirty = false
        /// Whether the partition is to be released once empty.
        var isRevoking = false

        init(partition: Partition) {
            self.partition = partition
            entries = Array(repeating: Entry(offset: 0, batch: 0, remaining: 0), count: 64)
        }

        var count: Int { Int(tail &- head) }
        var isEmpty: Bool { head == tail }
        private var mask: UInt64 { UInt64(entries.count - 1) }

        @inline(__always)
        mutating func append(offset: Int64, outputs: UInt16, batch: UInt64) -> UInt64 {
            precondition(offset > lastOffset, "offset \(offset) of \(partition) tracked after \(lastOffset)")
            precondition(tail < DeliveryToken.sequenceMask, "more than 2^40 offsets tracked for \(partition)")
            if count == entries.count { grow() }
            entries[Int(tail & mask)] = Entry(offset: offset, batch: batch, remaining: outputs)
            lastOffset = offset
            tail += 1
            return tail - 1
        }

        private mutating func grow() {
            var larger = Array(repeating: Entry(offset: 0, batch: 0, remaining: 0), count: entries.count * 2)
            let largerMask = UInt64(larger.count - 1)
            for sequence in head..<tail {
                larger[Int(sequence & largerMask)] = entries[Int(sequence & mask)]
            }
            entries = larger
        }

        func offset(at sequence: UInt64) -> Int64 {
            entries[Int(sequence & mask)].offset
        }

        /// Whether the entry is still tracked: not yet past the acknowledged prefix.
        func tracks(sequence: UInt64) -> Bool {
            sequence >= head && sequence < tail
        }

        /// Counts one output of the entry as delivered, and returns its batch.
        @inline(__always)
        mutating func acknowledge(sequence: UInt64) -> UInt64 {
            precondition(sequence >= head && sequence < tail, "a delivery report for an offset no longer in flight")
            let index = Int(sequence & mask)
            precondition(entries[index].remaining > 0, "more delivery reports than outputs for offset \(entries[index].offset)")
            entries[index].remaining -= 1
            return entries[index].batch
        }

        /// Moves past the fully acknowledged prefix and returns how many offsets that was.
        @inline(__always)
        mutating func advance() -> Int {
            var completed = 0
            while head < tail {
                let entry = entries[Int(head & mask)]
                guard entry.remaining == 0 else { break }
                committableOffset = entry.offset + 1
                head += 1
                completed += 1
            }
            return completed
        }

        func forEachPending(_ body: (UInt64, Int) -> Void) {
            for sequence in head..<tail {
                let entry = entries[Int(sequence & mask)]
                body(entry.batch, Int(entry.remaining))
            }
        }
    }

    /// Outstanding outputs per batch, for the batches begun and not yet reported complete.
    struct BatchRing: Sendable {
        private struct Entry: Sendable {
            var outstanding = 0
            var isSealed = false
        }

        private var entries = Array(repeating: Entry(), count: 16)
        private var oldest: UInt64 = 0
        private var next: UInt64 = 0
        private var mask: UInt64 { UInt64(entries.count - 1) }
        /// Sealed batches whose outstanding outputs reached zero since ``takeFinished(_:)``, in the
        /// order that happened (which need not be the batches' order).
        private var finished: [UInt64] = []

        mutating func begin() -> UInt64 {
            if next - oldest == UInt64(entries.count) { grow() }
            entries[Int(next & mask)] = Entry()
            next += 1
            return next - 1
        }

        private mutating func grow() {
            var larger = Array(repeating: Entry(), count: entries.count * 2)
            let largerMask = UInt64(larger.count - 1)
            for batch in oldest..<next {
                larger[Int(batch & largerMask)] = entries[Int(batch & mask)]
            }
            entries = larger
        }

        private func check(_ batch: UInt64) {
            precondition(batch >= oldest && batch < next, "batch \(batch) is not open")
        }

        mutating func seal(_ batch: UInt64) {
            check(batch)
            guard !entries[Int(batch & mask)].isSealed else { return }
            entries[Int(batch & mask)].isSealed = true
            noteIfFinished(batch)
        }

        @inline(__always)
        mutating func add(outputs: Int, to batch: UInt64) {
            check(batch)
            precondition(!entries[Int(batch & mask)].isSealed, "batch \(batch) is sealed")
            entries[Int(batch & mask)].outstanding += outputs
        }

        @inline(__always)
        mutating func acknowledge(_ batch: UInt64) {
            entries[Int(batch & mask)].outstanding -= 1
            noteIfFinished(batch)
        }

        mutating func abandon(outputs: Int, of batch: UInt64) {
            guard outputs > 0 else { return }
            entries[Int(batch & mask)].outstanding -= outputs
            noteIfFinished(batch)
        }

        /// A batch is noted once: after sealing, its count only falls, and every caller lowers it
        /// by at least one, so it reaches zero once.
        @inline(__always)
        private mutating func noteIfFinished(_ batch: UInt64) {
            let entry = entries[Int(batch & mask)]
            if entry.isSealed, entry.outstanding == 0 { finished.append(batch) }
        }

        /// The batches finished since the last call, emptying the list (and keeping its buffer).
        mutating func takeFinished(_ body: (UInt64) throws -> Void) rethrows {
            defer { finished.removeAll(keepingCapacity: true) }
            for batch in finished { try body(batch) }
        }

        /// Frees the entries of the oldest batches, up to the first one not finished.
        mutating func forgetFinishedPrefix() {
            while oldest < next, entries[Int(oldest & mask)].isSealed, entries[Int(oldest & mask)].outstanding == 0 {
                oldest += 1
            }
        }
    }
}
