import SluiceKernels
import Testing
@testable import SluicePipeline

/// A batch's rows copied into a part batch (the canary's split): values of every type, keys,
/// traceparents and feature digests follow their row, and a reused part forgets the last batch.
@Suite struct MicroBatchSplitTests {
    let decoder = try! FeatureDecoder(inputs: [
        InputSpec(name: "amount", features: FeatureSpec([.init(path: "amount")])),
        InputSpec(name: "country", elementType: .string, features: FeatureSpec([.init(path: "country")])),
        InputSpec(name: "count", elementType: .int64, features: FeatureSpec([.init(path: "count")])),
        InputSpec(name: "flag", elementType: .bool, features: FeatureSpec([.init(path: "flag")])),
    ])

    /// A closed batch of one row per event, keyed `key-<index>`, with a traceparent on odd rows.
    private func batch(_ events: [String], id: Int) throws -> MicroBatch {
        var batcher = MicroBatcher(limits: .init(maxSize: 8, maxDelay: .milliseconds(1)), layout: decoder.layout)
        let now = ContinuousClock.now
        for (index, event) in events.enumerated() {
            try Array(event.utf8).withUnsafeBytes { try batcher.decodeNextRow($0, with: decoder) }
            let key = Array("key-\(index)".utf8).withUnsafeBytes { batcher.store($0) }
            let traceparent = index % 2 == 1 ? Array("trace-\(index)".utf8).withUnsafeBytes { batcher.store($0) } : nil
            let row = MicroBatch.Row(
                topic: 0, partition: 1, offset: Int64(index), timestampMilliseconds: nil, consumedAt: now, token: DeliveryToken(rawValue: UInt64(index)),
                payloadDigest: SHA256Hash(words: (0, 0, 0, 0)), key: key, traceparent: traceparent
            )
            _ = batcher.append(row, now: now)
        }
        let closed = batcher.close(id: BatchID(rawValue: UInt64(id)), now: now)
        return try #require(closed)
    }

    private func text(_ range: Range<Int>?, of batch: MicroBatch) -> String? {
        range.map { batch.withBytes($0) { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func eachCopiedRowKeepsItsValuesKeyTraceparentAndDigest() throws {
        let source = try batch([
            #"{"amount":1.5,"country":"FR","count":7,"flag":true}"#,
            #"{"amount":2.5,"country":"Deutschland","count":-3,"flag":false}"#,
            #"{"amount":3.5,"country":"IT","count":9,"flag":true}"#,
        ], id: 4)
        var part = MicroBatch(layout: decoder.layout, capacity: 8)
        part.startPart(of: source)
        part.appendRow(1, of: source)
        part.appendRow(2, of: source)
        #expect(part.id == source.id && part.count == 2)
        let tensors = part.inputs.tensors(rows: 0..<2)
        #expect(tensors[0].floats == [2.5, 3.5])
        #expect(tensors[1].strings == ["Deutschland", "IT"])
        #expect(tensors[2].int64s == [-3, 9])
        #expect(tensors[3].bools == [false, true])
        #expect(part.rows.map(\.offset) == [1, 2] && part.rows.map(\.token) == [source.rows[1].token, source.rows[2].token])
        #expect(part.rows.map { text($0.key, of: part) } == ["key-1", "key-2"])
        #expect(part.rows.map { text($0.traceparent, of: part) } == ["trace-1", nil])
        #expect(part.featureDigests == [source.featureDigests[1], source.featureDigests[2]])

        let next = try batch([#"{"amount":9,"country":"ES","count":1,"flag":false}"#], id: 5)
        part.startPart(of: next)
        part.appendRow(0, of: next)
        #expect(part.id == next.id && part.count == 1)
        #expect(part.inputs.tensors(rows: 0..<1)[1].strings == ["ES"])
        #expect(text(part.rows[0].key, of: part) == "key-0" && part.featureDigests == next.featureDigests)
    }
}
