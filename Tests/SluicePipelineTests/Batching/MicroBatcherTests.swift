import Testing
@testable import SluicePipeline

@Suite struct MicroBatcherTests {
    let start = ContinuousClock.now

    func row(partition: Int32, offset: Int64, at time: ContinuousClock.Instant) -> MicroBatch.Row {
        MicroBatch.Row(
            topic: 0,
            partition: partition,
            offset: offset,
            timestampMilliseconds: nil,
            consumedAt: time,
            token: DeliveryToken(rawValue: UInt64(offset)),
            payloadDigest: SHA256Hash(words: (0, 0, 0, 0)),
            key: nil,
            traceparent: nil
        )
    }

    func close(_ batcher: inout MicroBatcher, id: BatchID, now: ContinuousClock.Instant) -> MicroBatch? {
        batcher.close(id: id, now: now)
    }

    /// Decodes `values` as the next row and appends it.
    func add(_ batcher: inout MicroBatcher, _ values: [Float], partition: Int32 = 0, offset: Int64, at time: ContinuousClock.Instant) -> MicroBatcher.Action {
        batcher.withNextRow { row in
            for (index, value) in values.enumerated() { row[index] = value }
        }
        return batcher.append(row(partition: partition, offset: offset, at: time), now: time)
    }

    @Test func closesABatchWhenItReachesMaxSize() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 3, maxDelay: .milliseconds(2)), width: 2)
        #expect(add(&batcher, [1, 2], offset: 0, at: start) == .none)
        #expect(add(&batcher, [3, 4], offset: 1, at: start) == .none)
        #expect(add(&batcher, [5, 6], offset: 2, at: start) == .closeBatch)
        let batch = try #require(close(&batcher, id: BatchID(rawValue: 9), now: start))
        #expect(batch.count == 3)
        #expect(batch.id == BatchID(rawValue: 9))
        #expect(Array(batch.features.prefix(6)) == [1, 2, 3, 4, 5, 6])
        #expect(batch.rows.map(\.offset) == [0, 1, 2])
        #expect(batcher.count == 0)
        #expect(batcher.deadline == nil)
    }

    @Test func closesABatchMaxDelayAfterItsFirstRow() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 100, maxDelay: .milliseconds(2)), width: 1)
        #expect(batcher.deadline == nil, "an empty batch has no deadline")
        #expect(!batcher.isDue(now: start + .seconds(10)))
        _ = add(&batcher, [1], offset: 0, at: start)
        _ = add(&batcher, [2], offset: 1, at: start + .milliseconds(1))
        #expect(batcher.deadline == start + .milliseconds(2), "the first row sets the deadline")
        #expect(!batcher.isDue(now: start + .microseconds(1_999)))
        #expect(batcher.isDue(now: start + .milliseconds(2)))
        let batch = try #require(close(&batcher, id: BatchID(rawValue: 0), now: start + .milliseconds(2)))
        #expect(batch.count == 2)
        #expect(batch.openedAt == start)
        #expect(batch.closedAt == start + .milliseconds(2))
        _ = add(&batcher, [3], offset: 2, at: start + .milliseconds(5))
        #expect(batcher.deadline == start + .milliseconds(7), "the next batch's clock starts at its own first row")
    }

    @Test func closingAnEmptyBatchYieldsNothing() {
        var batcher = MicroBatcher(limits: .init(maxSize: 4, maxDelay: .milliseconds(2)), width: 1)
        #expect(batcher.close(id: BatchID(rawValue: 0), now: start) == nil)
    }

    @Test func aRowThatFailsToDecodeDoesNotJoinTheBatch() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 4, maxDelay: .milliseconds(2)), width: 1)
        _ = add(&batcher, [1], offset: 0, at: start)
        batcher.withNextRow { $0[0] = 99 }
        _ = add(&batcher, [2], offset: 2, at: start)
        let batch = try #require(close(&batcher, id: BatchID(rawValue: 0), now: start))
        #expect(Array(batch.features.prefix(2)) == [1, 2])
        #expect(batch.rows.map(\.offset) == [0, 2])
    }

    @Test func keepsConsumptionOrderAcrossPartitions() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 6, maxDelay: .milliseconds(2)), width: 1)
        let order: [(Int32, Int64)] = [(1, 10), (0, 5), (1, 11), (0, 6), (1, 12)]
        for (partition, offset) in order {
            _ = add(&batcher, [Float(offset)], partition: partition, offset: offset, at: start)
        }
        let batch = try #require(close(&batcher, id: BatchID(rawValue: 0), now: start))
        #expect(batch.rows.filter { $0.partition == 1 }.map(\.offset) == [10, 11, 12])
        #expect(batch.rows.filter { $0.partition == 0 }.map(\.offset) == [5, 6])
    }

    @Test func copiesKeysSoMessagesCanBeReleased() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 4, maxDelay: .milliseconds(2)), width: 1)
        var message: [UInt8] = Array("card-42".utf8)
        let range = message.withUnsafeBytes { batcher.store($0) }
        message[0] = 0
        batcher.withNextRow { $0[0] = 1 }
        var metadata = row(partition: 0, offset: 0, at: start)
        metadata.key = range
        _ = batcher.append(metadata, now: start)
        let batch = try #require(close(&batcher, id: BatchID(rawValue: 0), now: start))
        #expect(batch.withBytes(try #require(batch.rows[0].key)) { Array($0) } == Array("card-42".utf8))
    }

    @Test func reusesRecycledStorage() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 2, maxDelay: .milliseconds(2)), width: 1)
        _ = add(&batcher, [1], offset: 0, at: start)
        let first = try #require(close(&batcher, id: BatchID(rawValue: 0), now: start))
        let storage = first.features.withUnsafeBufferPointer { $0.baseAddress }
        batcher.recycle(consume first)
        _ = add(&batcher, [2], offset: 1, at: start)
        _ = try #require(close(&batcher, id: BatchID(rawValue: 1), now: start))
        _ = add(&batcher, [3], offset: 2, at: start)
        let third = try #require(close(&batcher, id: BatchID(rawValue: 2), now: start))
        #expect(third.features.withUnsafeBufferPointer { $0.baseAddress } == storage)
        #expect(third.rows.map(\.offset) == [2], "recycled storage starts empty")
    }
}
