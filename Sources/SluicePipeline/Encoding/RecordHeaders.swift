import SluiceKafka

/// The headers of one output record, assembled in storage reused from record to record: Sluice's
/// own first, then any carried over from the input, none of which can pass for Sluice's.
///
/// An input header whose name is reserved (``RecordHeaderName/isReserved(_:)``: it starts with
/// `sluice-`, in any case) is kept under the name ``RecordHeaderName/renamedPrefix`` + its name,
/// e.g. `original-sluice-error-class`, with its value and its place among the input's headers. A
/// consumer reading the first header of a reserved name therefore always reads Sluice's.
public struct RecordHeaders {
    private var names: [String] = []
    private var values: [Range<Int>?] = []
    private var bytes: [UInt8] = []
    private var lent: [KafkaHeader] = []
    private var ownCount = 0

    /// The headers' serialized size as librdkafka counts it (``KafkaRecordSize/header(nameBytes:valueBytes:)``).
    public private(set) var serializedBytes = 0

    public init() {
        bytes.reserveCapacity(256)
    }

    /// The number of headers.
    public var count: Int { names.count }

    /// The number of headers carried over from the input.
    public var inputCount: Int { names.count - ownCount }

    /// Forgets every header, keeping the storage.
    public mutating func removeAll() {
        names.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        ownCount = 0
        serializedBytes = 0
    }

    /// Appends one of Sluice's own headers. All of them come before the input's.
    public mutating func appendOwn(_ name: String, _ value: UnsafeRawBufferPointer?) {
        precondition(inputCount == 0, "Sluice's headers come before the input's")
        precondition(name.utf8.starts(with: RecordHeaderName.reservedPrefix.utf8), "'\(name)' is not a reserved name")
        append(name, value)
        ownCount += 1
    }

    /// Appends an input header, renamed when its name is reserved. A name that is not UTF-8
    /// (Kafka's clients write names as strings) has its invalid bytes replaced by U+FFFD.
    public mutating func appendInput(name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) {
        let text = String(decoding: name, as: UTF8.self)
        append(RecordHeaderName.isReserved(name) ? RecordHeaderName.renamedPrefix + text : text, value)
    }

    /// Appends every header of `input`, in order, renaming the reserved ones.
    public mutating func appendInput(_ input: some InputHeaders) {
        input.forEachInputHeader { name, value in appendInput(name: name, value) }
    }

    private mutating func append(_ name: String, _ value: UnsafeRawBufferPointer?) {
        names.append(name)
        if let value {
            bytes.append(contentsOf: value)
            values.append((bytes.count - value.count)..<bytes.count)
        } else {
            values.append(nil)
        }
        serializedBytes += KafkaRecordSize.header(nameBytes: name.utf8.count, valueBytes: value?.count ?? 0)
    }

    /// The header at `index`: its name and its value's bytes, copied (for tests and cold paths).
    public subscript(index: Int) -> (name: String, value: [UInt8]?) {
        (names[index], values[index].map { Array(bytes[$0]) })
    }

    /// Lends the headers, in order, to `body` (e.g. to the producer, which copies them).
    public mutating func withKafkaHeaders<R>(_ body: ([KafkaHeader]) throws -> R) rethrows -> R {
        var headers: [KafkaHeader] = []
        swap(&headers, &lent)
        defer { swap(&headers, &lent) }
        headers.removeAll(keepingCapacity: true)
        return try bytes.withUnsafeBytes { bytes in
            for (name, range) in zip(names, values) {
                headers.append(KafkaHeader(name: name, value: range.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }))
            }
            return try body(headers)
        }
    }
}
