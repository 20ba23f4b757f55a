import SluiceRandom

/// A fixed seed makes every "random" test input the same on every run.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
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
