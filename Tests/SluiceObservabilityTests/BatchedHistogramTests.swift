import Testing
@testable import SluiceObservability

@Suite struct BatchedHistogramTests {
    @Test func countsEachObservationInTheFirstBucketThatHoldsItAndRendersThemCumulatively() {
        let histogram = BatchedHistogram(name: "wait_seconds", upperBounds: [.milliseconds(1), .milliseconds(10), .milliseconds(100)])
        // A bound belongs to its bucket (le = less or equal); negative waits count as zero.
        histogram.record(nanoseconds: [-5, 0, 1_000_000, 1_000_001])
        histogram.record(nanoseconds: [50_000_000, 2_000_000_000])
        var buffer: [UInt8] = []
        histogram.emit(into: &buffer)
        let samples = PrometheusSamples(String(decoding: buffer, as: UTF8.self))

        #expect(samples.text.hasPrefix("# TYPE wait_seconds histogram\n"))
        #expect(samples.value("wait_seconds_bucket", ["le": "0.001"]) == 3)
        #expect(samples.value("wait_seconds_bucket", ["le": "0.01"]) == 4)
        #expect(samples.value("wait_seconds_bucket", ["le": "0.1"]) == 5)
        #expect(samples.value("wait_seconds_bucket", ["le": "+Inf"]) == 6)
        #expect(samples.value("wait_seconds_count") == 6)
        let sum = samples.value("wait_seconds_sum") ?? .nan
        #expect(abs(sum - 2.052000001) < 1e-9, "sum \(sum)")
    }

    @Test func anEmptyHistogramRendersZeros() {
        let histogram = BatchedHistogram(name: "empty_seconds", upperBounds: [.seconds(1)])
        var buffer: [UInt8] = []
        histogram.emit(into: &buffer)
        let samples = PrometheusSamples(String(decoding: buffer, as: UTF8.self))
        #expect(samples.value("empty_seconds_bucket", ["le": "1.0"]) == 0)
        #expect(samples.value("empty_seconds_bucket", ["le": "+Inf"]) == 0)
        #expect(samples.value("empty_seconds_sum") == 0)
        #expect(samples.value("empty_seconds_count") == 0)
    }
}
