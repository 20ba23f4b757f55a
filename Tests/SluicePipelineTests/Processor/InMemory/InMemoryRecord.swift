import SluiceKafka
@testable import SluicePipeline

/// A record lent by an ``InMemoryBatch``: its bytes stay at one address until the batch lets it
/// go, as a librdkafka message's do.
final class InMemoryRecord: SourceRecord {
    let topicPartition: KafkaTopicPartition
    let offset: Int64
    let timestampMilliseconds: Int64?
    private let keyBytes: PinnedBytes?
    private let valueBytes: PinnedBytes
    private let headers: [(name: PinnedBytes, value: PinnedBytes?)]

    init(_ record: InMemoryBroker.Record, of partition: KafkaTopicPartition, at offset: Int64) {
        topicPartition = partition
        self.offset = offset
        timestampMilliseconds = record.timestampMilliseconds
        keyBytes = record.key.map(PinnedBytes.init)
        valueBytes = PinnedBytes(record.value)
        headers = record.headers.map { (PinnedBytes(Array($0.name.utf8)), $0.value.map(PinnedBytes.init)) }
    }

    var topic: String { topicPartition.topic }
    var partition: Int32 { topicPartition.partition }
    var key: UnsafeRawBufferPointer? { keyBytes?.bytes }
    var value: UnsafeRawBufferPointer { valueBytes.bytes }

    func header(named name: String) -> UnsafeRawBufferPointer?? {
        guard let header = headers.last(where: { $0.name.bytes.elementsEqual(name.utf8) }) else { return nil }
        return .some(header.value?.bytes)
    }

    func forEachInputHeader(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        for header in headers { try body(header.name.bytes, header.value?.bytes) }
    }
}

/// Bytes copied to memory of their own, freed with this object.
final class PinnedBytes {
    private let storage: UnsafeMutableRawBufferPointer
    private let count: Int

    init(_ bytes: [UInt8]) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 1)
        storage.copyBytes(from: bytes)
        count = bytes.count
    }

    deinit {
        storage.deallocate()
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.baseAddress, count: count) }
}
