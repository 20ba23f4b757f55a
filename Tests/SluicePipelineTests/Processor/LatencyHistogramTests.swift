import Testing
@testable import SluicePipeline

@Suite struct LatencyHistogramTests {
    @Test func quantilesAreTheLowerBoundsOfTheBucketsWithinOneSixteenth() {
        var histogram = LatencyHistogram()
        #expect(histogram.quantile(0.5) == nil)
        for microseconds in 1...1_000 { histogram.record(microseconds: Int64(microseconds)) }
        #expect(histogram.count == 1_000)
        #expect(histogram.quantile(0) == 1)
        for (q, exact) in [(0.5, 500.0), (0.99, 990.0), (1.0, 1_000.0)] {
            let value = Double(histogram.quantile(q)!)
            #expect(value <= exact && value >= exact * 15 / 16, "q \(q): \(value) for \(exact)")
        }
    }

    @Test func negativeDurationsCountAsZero() {
        var histogram = LatencyHistogram()
        histogram.record(microseconds: -5)
        #expect(histogram.quantile(1) == 0)
    }

    @Test func aCopyIsIndependentAndEqualUntilEitherChanges() {
        var original = LatencyHistogram()
        original.record(microseconds: 10)
        var copy = original
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        copy.record(microseconds: 70_000)
        #expect(copy != original)
        #expect(original.count == 1 && original.quantile(1) == 10)
        #expect(copy.quantile(1)! >= 70_000 * 15 / 16)
    }

    @Test func mergeAddsTheCounts() {
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        for _ in 0..<3 { first.record(microseconds: 100) }
        second.record(microseconds: 5_000)
        first.merge(second)
        #expect(first.count == 4)
        #expect(first.quantile(0.5) == 100)
        #expect(first.quantile(1)! >= 5_000 * 15 / 16)
    }
}
