/// A `Duration` in the units Sluice hands to librdkafka, the kernel, metrics, records and reports,
/// written once: each conversion truncates toward zero unless its name says otherwise.
extension Duration {
    /// In seconds, as a `Double`: for rates and reports.
    @inlinable
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// In whole milliseconds.
    @inlinable
    public var wholeMilliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// In milliseconds, rounded up: a short positive timeout never becomes "do not wait".
    @inlinable
    public var roundedUpMilliseconds: Int64 {
        components.seconds * 1_000 + (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }

    /// In whole microseconds.
    @inlinable
    public var wholeMicroseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }

    /// In whole nanoseconds; durations past about 292 years overflow, so callers that take any
    /// duration clamp it first.
    @inlinable
    public var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
