/// The headers that say why and from where an event was dead-lettered, after Kafka Connect's
/// dead-letter convention: `sluice-error-class`, `sluice-error-message`, `sluice-source-topic`,
/// `sluice-source-partition` and `sluice-source-offset`, in that order. ``DeadLetterBuilder``
/// puts them first in every dead letter.
public struct DeadLetterHeaders: Sendable {
    private var partition = JSONBuffer(capacity: 16)
    private var offset = JSONBuffer(capacity: 24)
    private let topics: [[UInt8]]

    /// `inputTopics`: the configured input topics, which rows name by index.
    public init(inputTopics: [String]) {
        topics = inputTopics.map { Array($0.utf8) }
    }

    /// Calls `body` with each header for an event of `topic` (an index into the input topics),
    /// `partition` and `offset` dead-lettered for `reason`. Values are lent for the call.
    public mutating func forEach(
        reason: DeadLetterReason,
        topic: Int,
        partition: Int32,
        offset: Int64,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        self.partition.reset()
        self.partition.append(Int64(partition))
        self.offset.reset()
        self.offset.append(offset)
        var errorClass = reason.errorClass.name
        try errorClass.withUTF8 { try body(RecordHeaderName.errorClass, UnsafeRawBufferPointer($0)) }
        var message = reason.message
        try message.withUTF8 { try body(RecordHeaderName.errorMessage, UnsafeRawBufferPointer($0)) }
        try topics[topic].withUnsafeBytes { try body(RecordHeaderName.sourceTopic, $0) }
        try self.partition.withBytes { try body(RecordHeaderName.sourcePartition, $0) }
        try self.offset.withBytes { try body(RecordHeaderName.sourceOffset, $0) }
    }
}
