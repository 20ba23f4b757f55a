/// SplitMix64: a fixed seed makes every "random" test input the same on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}

/// Whether `actual` is within `tolerance` of `expected`, relative to `expected`'s magnitude but
/// never tighter than `tolerance` absolute (so values near zero compare sensibly).
func isClose(_ actual: [Float], _ expected: [Float], tolerance: Float) -> Bool {
    guard actual.count == expected.count else { return false }
    return zip(actual, expected).allSatisfy { a, e in
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if a == e { return true }
        return Swift.abs(a - e) <= tolerance * Swift.max(1, Swift.abs(e))
    }
}
