extension ConfigurationNode {
    /// A duration: a number with a unit (`500ms`, `30s`, `2m`), or a bare number of seconds.
    /// `0`, `off` or `null` mean none: `nil`.
    func duration(atMost limit: Duration) throws(ConfigurationError) -> Duration? {
        if isNull { return nil }
        let text = try string().trimmingSpaces
        if text == "off" { return nil }
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) && Double(String(text.dropLast($0.suffix.count)).trimmingSpaces) != nil }
        let number = unit.map { String(text.dropLast($0.suffix.count)).trimmingSpaces } ?? text
        guard let value = Double(number), value.isFinite, value >= 0 else {
            throw error("expected a duration such as 30s, 2m or 500ms (0 or off for none), got '\(text)'")
        }
        let seconds = value * (unit?.seconds ?? 1)
        guard seconds > 0 else { return nil }
        let duration = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        guard duration <= limit else { throw error("must be at most \(limit), got \(text)") }
        return duration
    }
}
