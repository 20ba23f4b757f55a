extension Duration {
    /// The duration in whole milliseconds for librdkafka's `timeout_ms` arguments, rounded up so
    /// a short positive timeout never becomes "do not wait", and clamped to `Int32`.
    var timeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
