/// A message header borrowed for the duration of one ``KafkaProducer/send(to:partition:key:value:headers:token:)``:
/// librdkafka copies the name and value before `send` returns.
public struct KafkaHeader {
    /// The header's name.
    public var name: String
    /// The header's value bytes, or `nil` for a null value. Must stay valid until `send` returns.
    public var value: UnsafeRawBufferPointer?

    public init(name: String, value: UnsafeRawBufferPointer?) {
        self.name = name
        self.value = value
    }
}
