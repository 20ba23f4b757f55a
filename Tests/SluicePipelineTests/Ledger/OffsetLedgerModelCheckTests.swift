import Testing
@testable import SluicePipeline

/// Random operation sequences applied to the ledger and to a plain reference model, which must
/// agree after every step.
@Suite struct OffsetLedgerModelCheckTests {
    /// The obvious implementation: lists of offsets and outstanding counts.
    struct Reference {
        struct Entry {
            var offset: Int64
            var remaining: Int
            var batch: BatchID
        }

        var partitions: [String: [Entry]] = [:]
        var committed: [String: Int64] = [:]
        var reported: [String: Int64] = [:]
        var revoking: Set<String> = []

        var inFlight: Int { partitions.values.reduce(0) { $0 + $1.count } }

        mutating func advance(_ partition: String) {
            while let first = partitions[partition]?.first, first.remaining == 0 {
                committed[partition] = first.offset + 1
                partitions[partition]!.removeFirst()
            }
        }
    }

    struct Outstanding {
        var partition: String
        var offset: Int64
        var token: DeliveryToken
    }

    @Test(arguments: 0..<20)
    func agreesWithAReferenceModel(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func int(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        var ledger = OffsetLedger<String>()
        var reference = Reference()
        var slots: [String: OffsetLedger<String>.Slot] = [:]
        var nextOffset: [String: Int64] = [:]
        var outstanding: [Outstanding] = []
        var stale: [DeliveryToken] = []
        var batch = ledger.beginBatch()
        var openBatches: [BatchID: Int] = [batch: 0]
        var sealed: Set<BatchID> = []
        var acknowledgedReported: Set<BatchID> = []
        let names = ["a", "b", "c", "d"]

        for _ in 0..<3_000 {
            let name = names[int(names.count)]
            switch int(100) {
            case 0..<40:
                guard let slot = slots[name], !reference.revoking.contains(name) else {
                    if slots[name] == nil {
                        slots[name] = ledger.assign(name)
                        reference.partitions[name] = []
                        nextOffset[name, default: 0] += Int64(int(3))
                    }
                    continue
                }
                let offset = nextOffset[name, default: 0]
                nextOffset[name] = offset + 1 + Int64(int(2))
                let outputs = [0, 1, 2, 2][int(4)]
                let token = ledger.track(slot, offset: offset, outputs: outputs, batch: batch)
                reference.partitions[name]!.append(.init(offset: offset, remaining: outputs, batch: batch))
                openBatches[batch, default: 0] += outputs
                reference.advance(name)
                for _ in 0..<outputs { outstanding.append(Outstanding(partition: name, offset: offset, token: token)) }
            case 40..<80:
                guard !outstanding.isEmpty else { continue }
                let pick = int(outstanding.count)
                let output = outstanding[pick]
                if int(20) == 0 {
                    #expect(ledger.acknowledge(output.token, delivered: false) == .failed(output.partition, offset: output.offset))
                    continue
                }
                outstanding.remove(at: pick)
                #expect(ledger.acknowledge(output.token, delivered: true) == .recorded)
                let index = reference.partitions[output.partition]!.firstIndex { $0.offset == output.offset }!
                reference.partitions[output.partition]![index].remaining -= 1
                openBatches[reference.partitions[output.partition]![index].batch]! -= 1
                reference.advance(output.partition)
            case 80..<86:
                ledger.seal(batch)
                sealed.insert(batch)
                batch = ledger.beginBatch()
                openBatches[batch] = 0
            case 86..<90:
                guard slots[name] != nil, !reference.revoking.contains(name) else { continue }
                let outcome = ledger.revoke(name)
                if reference.partitions[name]!.isEmpty {
                    let undrained = reference.committed[name].flatMap { $0 == reference.reported[name] ? nil : $0 }
                    #expect(outcome == .released(committableOffset: undrained))
                    reference.partitions[name] = nil
                    reference.committed[name] = nil
                    reference.reported[name] = nil
                    slots[name] = nil
                } else {
                    #expect(outcome == .pending(inFlight: reference.partitions[name]!.count))
                    reference.revoking.insert(name)
                }
            case 90..<92:
                guard slots[name] != nil else { continue }
                #expect(ledger.abandon(name) == reference.partitions[name]!.count)
                for entry in reference.partitions[name]! { openBatches[entry.batch]! -= entry.remaining }
                stale += outstanding.filter { $0.partition == name }.map(\.token)
                outstanding.removeAll { $0.partition == name }
                reference.partitions[name] = nil
                reference.committed[name] = nil
                reference.reported[name] = nil
                reference.revoking.remove(name)
                slots[name] = nil
            case 92..<94:
                guard let token = stale.randomElement(using: &random) else { continue }
                #expect(ledger.acknowledge(token, delivered: true) == .stale)
            default:
                var drained: [String: Int64] = [:]
                ledger.drainCommittable { drained[$0] = $1 }
                var expected: [String: Int64] = [:]
                for (name, offset) in reference.committed where reference.reported[name] != offset {
                    expected[name] = offset
                    reference.reported[name] = offset
                }
                #expect(drained == expected)
                var released: [String] = []
                ledger.drainReleased { released.append($0) }
                let expectedReleased = reference.revoking.filter { reference.partitions[$0]!.isEmpty }
                #expect(Set(released) == expectedReleased)
                for name in expectedReleased {
                    reference.revoking.remove(name)
                    reference.partitions[name] = nil
                    reference.committed[name] = nil
                    reference.reported[name] = nil
                    slots[name] = nil
                }
                var acknowledged: [BatchID] = []
                ledger.drainAcknowledgedBatches { acknowledged.append($0) }
                let expectedAcknowledged = sealed.filter { (openBatches[$0] ?? 0) == 0 }.subtracting(acknowledgedReported)
                #expect(Set(acknowledged) == expectedAcknowledged, "every finished batch, whatever came before it")
                #expect(acknowledged.count == expectedAcknowledged.count, "each batch once")
                acknowledgedReported.formUnion(acknowledged)
            }
            #expect(ledger.inFlight == reference.inFlight)
        }
    }
}
