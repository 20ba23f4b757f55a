import SluiceTime

extension Duration {
    /// The duration in whole milliseconds for librdkafka's `timeout_ms` arguments, rounded up so
    /// a short positive timeout never becomes "do not wait", and clamped to `Int32`.
    var timeoutMilliseconds: Int32 {
        Int32(clamping: max(0, roundedUpMilliseconds))
    }
}
