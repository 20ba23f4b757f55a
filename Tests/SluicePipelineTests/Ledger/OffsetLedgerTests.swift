import Testing
@testable import SluicePipeline

@Suite struct OffsetLedgerTests {
    typealias Ledger = OffsetLedger<String>

    func committable(_ ledger: inout Ledger) -> [String: Int64] {
        var offsets: [String: Int64] = [:]
        ledger.drainCommittable { offsets[$0] = $1 }
        return offsets
    }

    @Test func commitsAnOffsetOnlyOnceBothItsOutputsAreAcknowledged() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let token = ledger.track(slot, offset: 10, outputs: 2, batch: batch)
        #expect(ledger.inFlight == 1)
        #expect(ledger.acknowledge(token, delivered: true) == .recorded)
        #expect(committable(&ledger).isEmpty)
        #expect(ledger.acknowledge(token, delivered: true) == .recorded)
        #expect(committable(&ledger) == ["p0": 11])
        #expect(ledger.inFlight == 0)
        #expect(committable(&ledger).isEmpty, "a drained offset is reported once")
    }

    @Test func holdsLaterOffsetsBehindAnUnacknowledgedEarlierOne() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let first = ledger.track(slot, offset: 0, outputs: 2, batch: batch)
        let second = ledger.track(slot, offset: 1, outputs: 1, batch: batch)
        let third = ledger.track(slot, offset: 5, outputs: 2, batch: batch)
        _ = ledger.acknowledge(third, delivered: true)
        _ = ledger.acknowledge(third, delivered: true)
        _ = ledger.acknowledge(second, delivered: true)
        _ = ledger.acknowledge(first, delivered: true)
        #expect(committable(&ledger).isEmpty)
        #expect(ledger.inFlight == 3)
        _ = ledger.acknowledge(first, delivered: true)
        #expect(committable(&ledger) == ["p0": 6], "gaps in offsets (compaction, transaction markers) commit past them")
        #expect(ledger.inFlight == 0)
    }

    @Test func keepsPartitionsIndependent() {
        var ledger = Ledger()
        let a = ledger.assign("a")
        let b = ledger.assign("b")
        let batch = ledger.beginBatch()
        let slowA = ledger.track(a, offset: 0, outputs: 1, batch: batch)
        let fastB = ledger.track(b, offset: 0, outputs: 1, batch: batch)
        _ = ledger.acknowledge(fastB, delivered: true)
        #expect(committable(&ledger) == ["b": 1])
        _ = ledger.acknowledge(slowA, delivered: true)
        #expect(committable(&ledger) == ["a": 1])
    }

    @Test func surfacesAFailedDeliveryAndNeverCommitsPastIt() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let first = ledger.track(slot, offset: 7, outputs: 1, batch: batch)
        let second = ledger.track(slot, offset: 8, outputs: 1, batch: batch)
        #expect(ledger.acknowledge(first, delivered: false) == .failed("p0", offset: 7))
        _ = ledger.acknowledge(second, delivered: true)
        #expect(committable(&ledger).isEmpty)
        #expect(ledger.inFlight == 2)
        #expect(ledger.acknowledge(first, delivered: true) == .recorded, "a retried output reports with the same token")
        #expect(committable(&ledger) == ["p0": 9])
    }

    @Test func commitsOffsetsThatProducedNothingInOrder() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        _ = ledger.track(slot, offset: 0, outputs: 0, batch: batch)
        #expect(committable(&ledger) == ["p0": 1])
        let pending = ledger.track(slot, offset: 1, outputs: 1, batch: batch)
        _ = ledger.track(slot, offset: 2, outputs: 0, batch: batch)
        #expect(committable(&ledger).isEmpty)
        _ = ledger.acknowledge(pending, delivered: true)
        #expect(committable(&ledger) == ["p0": 3])
    }

    @Test func releasesARevokedPartitionAtOnceWhenNothingIsInFlight() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let token = ledger.track(slot, offset: 3, outputs: 1, batch: batch)
        _ = ledger.acknowledge(token, delivered: true)
        #expect(ledger.revoke("p0") == .released(committableOffset: 4), "the undrained offset comes with the release")
        #expect(ledger.slot(for: "p0") == nil)
        #expect(ledger.revoke("unknown") == .released(committableOffset: nil))
    }

    @Test func releasesARevokedPartitionOnceItsOutputsAreAcknowledged() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let other = ledger.assign("p1")
        let batch = ledger.beginBatch()
        let first = ledger.track(slot, offset: 0, outputs: 1, batch: batch)
        let second = ledger.track(slot, offset: 1, outputs: 2, batch: batch)
        let unrelated = ledger.track(other, offset: 0, outputs: 1, batch: batch)
        #expect(ledger.revoke("p0") == .pending(inFlight: 2))
        _ = ledger.acknowledge(first, delivered: true)
        _ = ledger.acknowledge(second, delivered: true)
        var released: [String] = []
        ledger.drainReleased { released.append($0) }
        #expect(released.isEmpty)
        _ = ledger.acknowledge(second, delivered: true)
        #expect(committable(&ledger) == ["p0": 2])
        ledger.drainReleased { released.append($0) }
        #expect(released == ["p0"])
        #expect(ledger.slot(for: "p0") == nil)
        #expect(ledger.inFlight == 1)
        _ = ledger.acknowledge(unrelated, delivered: true)
        #expect(committable(&ledger) == ["p1": 1])
    }

    @Test func abandonsAPartitionAndTreatsItsLateReportsAsStale() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let token = ledger.track(slot, offset: 0, outputs: 2, batch: batch)
        ledger.seal(batch)
        #expect(ledger.abandon("p0") == 1)
        #expect(ledger.inFlight == 0)
        let again = ledger.assign("p0")
        #expect(again != slot, "a reused slot has a new generation")
        #expect(ledger.acknowledge(token, delivered: true) == .stale)
        #expect(ledger.acknowledge(token, delivered: false) == .stale)
        var acknowledged: [BatchID] = []
        ledger.drainAcknowledgedBatches { acknowledged.append($0) }
        #expect(acknowledged == [batch], "an abandoned partition's outputs no longer hold its batch open")
    }

    @Test func reportsEachBatchOnceSealedAndAsSoonAsItsOutputsAreThroughWhateverCameBefore() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        let first = ledger.beginBatch()
        let a = ledger.track(slot, offset: 0, outputs: 2, batch: first)
        ledger.seal(first)
        let second = ledger.beginBatch()
        let b = ledger.track(slot, offset: 1, outputs: 1, batch: second)
        var acknowledged: [BatchID] = []
        func drain() { ledger.drainAcknowledgedBatches { acknowledged.append($0) } }
        _ = ledger.acknowledge(b, delivered: true)
        drain()
        #expect(acknowledged.isEmpty, "the second batch is not sealed yet")
        ledger.seal(second)
        drain()
        #expect(acknowledged == [second], "its outputs are through, before the first's")
        _ = ledger.acknowledge(a, delivered: true)
        _ = ledger.acknowledge(a, delivered: true)
        drain()
        drain()
        #expect(acknowledged == [second, first], "each once")
    }

    @Test func growsItsRingsBeyondTheInitialWindow() {
        var ledger = Ledger()
        let slot = ledger.assign("p0")
        var tokens: [DeliveryToken] = []
        for offset in 0..<10_000 {
            let batch = ledger.beginBatch()
            tokens.append(ledger.track(slot, offset: Int64(offset), outputs: 1, batch: batch))
            ledger.seal(batch)
        }
        for token in tokens.reversed() {
            _ = ledger.acknowledge(token, delivered: true)
        }
        #expect(committable(&ledger) == ["p0": 10_000])
        var acknowledged = 0
        ledger.drainAcknowledgedBatches { _ in acknowledged += 1 }
        #expect(acknowledged == 10_000)
    }
}
