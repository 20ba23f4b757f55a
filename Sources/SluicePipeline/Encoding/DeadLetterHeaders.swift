/// The headers a dead letter adds to the original message's key, value and headers (which it
/// keeps unchanged), after Kafka Connect's dead-letter convention.
public struct DeadLetterHeaders: Sendable {
    private var partition = JSONBuffer(capacity: 16)
    private var offset = JSONBuffer(capacity: 24)
    private let topics: [[UInt8]]

    /// `inputTopics`: the configured input topics, which rows name by index.
    public init(inputTopics: [String]) {
        topics = inputTopics.map { Array($0.utf8) }
    }

    /// Calls `body` with each added header for an event of `topic` (an index into the input
    /// topics), `partition` and `offset` that failed with `error`. Values are lent for the call.
    public mutating func forEach(
        error: FeatureDecodingError,
        topic: Int,
        partition: Int32,
        offset: Int64,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        self.partition.reset()
        self.partition.append(Int64(partition))
        self.offset.reset()
        self.offset.append(offset)
        var errorClass = error.errorClass
        try errorClass.withUTF8 { try body(RecordHeaderName.errorClass, UnsafeRawBufferPointer($0)) }
        var message = error.message
        try message.withUTF8 { try body(RecordHeaderName.errorMessage, UnsafeRawBufferPointer($0)) }
        try topics[topic].withUnsafeBytes { try body(RecordHeaderName.sourceTopic, $0) }
        try self.partition.withBytes { try body(RecordHeaderName.sourcePartition, $0) }
        try self.offset.withBytes { try body(RecordHeaderName.sourceOffset, $0) }
    }
}
