/// The Kafka header names Sluice writes, and the rule that keeps them Sluice's own.
public enum RecordHeaderName {
    /// On predictions and audit records: the prediction's id, linking the two.
    public static let predictionID = "sluice-prediction-id"
    /// On predictions: `name:version` of the model.
    public static let model = "sluice-model"
    /// W3C trace context, copied from the input to the prediction.
    public static let traceparent = "traceparent"
    /// On dead letters, after Kafka Connect's `__connect.errors.*` convention.
    public static let errorClass = "sluice-error-class"
    public static let errorMessage = "sluice-error-message"
    public static let sourceTopic = "sluice-source-topic"
    public static let sourcePartition = "sluice-source-partition"
    public static let sourceOffset = "sluice-source-offset"
    /// On dead letters cut to fit their topic (``DeadLetterBuilder``): the whole payload's
    /// SHA-256 in lower-case hex, its length in bytes, and `true`.
    public static let payloadSHA256 = "sluice-payload-sha256"
    public static let payloadBytes = "sluice-payload-bytes"
    public static let payloadTruncated = "sluice-payload-truncated"
    /// On dead letters that had to leave out the input's headers: how many there were.
    public static let inputHeadersDropped = "sluice-input-headers-dropped"
    /// On dead letters that had to leave out the input's key: `true`.
    public static let keyDropped = "sluice-key-dropped"

    /// Names starting with this, in any case, are Sluice's alone.
    public static let reservedPrefix = "sluice-"
    /// What an input header with a reserved name is renamed to: this, then its name unchanged.
    public static let renamedPrefix = "original-"

    /// Whether `name` (UTF-8) starts with ``reservedPrefix``, ignoring ASCII case.
    public static func isReserved(_ name: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "sluice-"
        guard name.count >= prefix.utf8CodeUnitCount else { return false }
        for index in 0..<prefix.utf8CodeUnitCount {
            // ASCII letters differ from their capitals in bit 5 only; '-' is compared exactly.
            let expected = prefix.utf8Start[index]
            let byte = name[index]
            guard byte == expected || expected != UInt8(ascii: "-") && byte | 0x20 == expected else { return false }
        }
        return true
    }
}
