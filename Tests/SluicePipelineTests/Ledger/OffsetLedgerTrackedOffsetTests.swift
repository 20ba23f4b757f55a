import Testing
@testable import SluicePipeline

@Suite struct OffsetLedgerTrackedOffsetTests {
    @Test func aTokenNamesItsOffsetUntilTheOffsetIsCommittableOrItsPartitionIsGivenUp() {
        var ledger = OffsetLedger<String>()
        let slot = ledger.assign("p0")
        let batch = ledger.beginBatch()
        let first = ledger.track(slot, offset: 7, outputs: 1, batch: batch)
        let second = ledger.track(slot, offset: 9, outputs: 1, batch: batch)
        #expect(ledger.acknowledge(second, delivered: false) == .failed("p0", offset: 9))
        #expect(ledger.trackedOffset(of: second).map { "\($0.partition)@\($0.offset)" } == "p0@9")

        _ = ledger.acknowledge(second, delivered: true)
        #expect(ledger.trackedOffset(of: second) != nil, "acknowledged, but held behind offset 7")
        _ = ledger.acknowledge(first, delivered: true)
        #expect(ledger.trackedOffset(of: first) == nil && ledger.trackedOffset(of: second) == nil)

        let third = ledger.track(slot, offset: 10, outputs: 2, batch: batch)
        ledger.abandon("p0")
        #expect(ledger.trackedOffset(of: third) == nil, "an abandoned partition's tokens are stale")
        let again = ledger.assign("p0")
        _ = ledger.track(again, offset: 10, outputs: 2, batch: batch)
        #expect(ledger.trackedOffset(of: third) == nil, "a token of the slot's earlier generation stays stale")
    }
}
