/// The demo's fraud events, generated deterministically, packed back to back in one buffer.
struct DemoEvents {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []

    /// `count` events; `decimals` digits after the point for the 16-value feature vector
    /// (4 as the demo's generator writes them, 9 for shortest round-trip float32 text).
    init(count: Int, decimals: Int, seed: UInt64 = 42) {
        var random = SplitMix64(seed: seed)
        for index in 0..<count {
            let amount = (random.uniform() * 2_000).rounded(toPlaces: 2)
            var text = #"{"event_id":"evt-\#(10_000_000 + index)","card_id":"card-\#(random.next() % 100_000)","#
            text += #""amount":\#(amount),"merchant_risk":\#(random.uniform().rounded(toPlaces: 4)),"#
            text += #""hour":\#(random.next() % 24),"account_age_days":\#(random.next() % 3_000),"features":["#
            for element in 0..<16 {
                if element > 0 { text += "," }
                text += "\((random.uniform() * 6 - 3).rounded(toPlaces: decimals))"
            }
            text += #"],"ts":\#(1_732_350_000_000 + index)}"#
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            ranges.append(start..<bytes.count)
        }
    }

    var averageSize: Int { bytes.count / max(ranges.count, 1) }
}

/// A small, fast, reproducible generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
