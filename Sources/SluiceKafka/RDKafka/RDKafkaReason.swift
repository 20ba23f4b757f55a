/// Lends `body` a zeroed buffer for librdkafka's `errstr`/`errstr_size` arguments and returns what
/// `body` returned with the text librdkafka wrote. Do not escape the pointer.
func withRDKafkaReason<R>(_ body: (UnsafeMutablePointer<CChar>, Int) -> R) -> (result: R, reason: String) {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
        buffer.initialize(repeating: 0)
        let result = body(buffer.baseAddress!, buffer.count - 1)
        return (result, String(cString: buffer.baseAddress!))
    }
}
