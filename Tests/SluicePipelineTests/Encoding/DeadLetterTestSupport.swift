import SluiceKafka
@testable import SluicePipeline

/// A dead letter copied out of the builder, for tests.
struct CopiedDeadLetter {
    var key: [UInt8]?
    var value: [UInt8]
    var headers: [(name: String, value: [UInt8]?)]
    var reductions: DeadLetter.Reductions
    var size: Int

    init(_ letter: DeadLetter) {
        key = letter.key.map { Array($0) }
        value = Array(letter.value)
        headers = letter.headers.map { ($0.name, $0.value.map { Array($0) }) }
        reductions = letter.reductions
        size = letter.size
    }

    var names: [String] { headers.map(\.name) }

    /// The first header named `name`, as text.
    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The size Kafka counts for this record, from its parts alone.
    var countedSize: Int {
        let headerBytes = headers.reduce(0) { $0 + KafkaRecordSize.header(nameBytes: $1.name.utf8.count, valueBytes: $1.value?.count ?? 0) }
        return KafkaRecordSize.bytes(key: key?.count ?? 0, value: value.count, headers: headerBytes)
    }
}

extension DeadLetterBuilder {
    /// The dead letter of a record from partition 2, offset 99 of `events`, copied.
    mutating func letter(
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [(name: String, value: [UInt8]?)] = [],
        reason: DeadLetterReason = DeadLetterReason(.decoding(.wrongType), message: "amount: expected a number, found a string (at byte 10)"),
        topic: Int = 0
    ) -> CopiedDeadLetter {
        value.withUnsafeBytes { value in
            withOptionalBytes(key) { key in
                withDeadLetter(key: key, value: value, headers: headers, reason: reason, topic: topic, partition: 2, offset: 99) {
                    CopiedDeadLetter($0)
                }
            }
        }
    }
}

func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// Sluice's headers on every dead letter, in order.
let sourceHeaderNames = [
    RecordHeaderName.errorClass, RecordHeaderName.errorMessage, RecordHeaderName.sourceTopic,
    RecordHeaderName.sourcePartition, RecordHeaderName.sourceOffset,
]

/// The headers that describe a cut payload, in order.
let payloadHeaderNames = [RecordHeaderName.payloadSHA256, RecordHeaderName.payloadBytes, RecordHeaderName.payloadTruncated]

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
