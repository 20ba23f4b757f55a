import Testing
@testable import SluicePipeline

@Suite struct BackpressureTests {
    @Test func pausesAtTheHighWatermarkAndResumesOnlyAtTheLow() {
        var backpressure = Backpressure(high: 100, low: 50)
        #expect(backpressure.inFlightChanged(to: 99) == .none)
        #expect(backpressure.inFlightChanged(to: 100) == .pausePartitions)
        #expect(backpressure.inFlightChanged(to: 150) == .none, "pausing happens once")
        #expect(backpressure.inFlightChanged(to: 51) == .none, "between the watermarks it stays paused")
        #expect(backpressure.isPaused)
        #expect(backpressure.inFlightChanged(to: 50) == .resumePartitions)
        #expect(backpressure.inFlightChanged(to: 99) == .none, "between the watermarks it stays flowing")
        #expect(!backpressure.isPaused)
    }

    @Test func aFullProducerQueueHoldsBatchesAndPausesUntilItDrains() {
        var backpressure = Backpressure(high: 100, low: 50)
        #expect(backpressure.mayProduce)
        #expect(backpressure.producerQueueFull() == .pausePartitions)
        #expect(!backpressure.mayProduce)
        #expect(backpressure.inFlightChanged(to: 0) == .none, "still held by the producer")
        #expect(backpressure.producerQueueDrained() == .resumePartitions)
        #expect(backpressure.mayProduce)
    }

    @Test func resumesOnlyWhenBothCausesAreGone() {
        var backpressure = Backpressure(high: 10, low: 5)
        #expect(backpressure.inFlightChanged(to: 10) == .pausePartitions)
        #expect(backpressure.producerQueueFull() == .none)
        #expect(backpressure.producerQueueDrained() == .none, "in flight is still above the low watermark")
        #expect(backpressure.inFlightChanged(to: 5) == .resumePartitions)
    }
}
