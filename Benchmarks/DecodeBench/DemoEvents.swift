import SluiceDemoEvents

/// The demo's fraud events (``FraudEventGenerator``, none malformed), packed back to back in one
/// buffer.
struct DemoEvents {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []

    /// `count` events; `decimals` digits after the point for the 16-value feature vector
    /// (4 as the demo's generator writes them, 9 for shortest round-trip float32 text).
    init(count: Int, decimals: Int, seed: UInt64 = 42) {
        var generator = FraudEventGenerator(seed: seed, malformedEvery: .max, featureDecimals: decimals)
        var event: [UInt8] = []
        var key: [UInt8] = []
        for _ in 0..<count {
            _ = generator.next(event: &event, key: &key)
            let start = bytes.count
            bytes.append(contentsOf: event)
            ranges.append(start..<bytes.count)
        }
    }

    var averageSize: Int { bytes.count / max(ranges.count, 1) }
}
