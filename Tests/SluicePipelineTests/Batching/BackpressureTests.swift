import Testing
@testable import SluicePipeline

@Suite struct BackpressureTests {
    let start = ContinuousClock.now

    @Test func holdsTheInputAtTheHighWatermarkAndTakesAgainOnlyAtTheLow() {
        var backpressure = Backpressure(high: 100, low: 50, pauseAfter: .seconds(5))
        #expect(backpressure.inFlightChanged(to: 99, now: start) == .none)
        #expect(backpressure.inFlightChanged(to: 100, now: start) == .stopTaking)
        #expect(!backpressure.pollsConsumer && backpressure.isHolding && !backpressure.isPaused)
        #expect(backpressure.inFlightChanged(to: 150, now: start) == .none, "holding starts once")
        #expect(backpressure.inFlightChanged(to: 51, now: start + .seconds(1)) == .none, "between the watermarks it keeps holding")
        #expect(backpressure.inFlightChanged(to: 50, now: start + .seconds(1)) == .resumeTaking)
        #expect(backpressure.inFlightChanged(to: 99, now: start + .seconds(1)) == .none, "between the watermarks it keeps taking")
        #expect(backpressure.pollsConsumer && !backpressure.isHolding)
    }

    @Test func pausesThePartitionsOnlyWhenHoldingLastsTooLong() {
        var backpressure = Backpressure(high: 10, low: 5, pauseAfter: .seconds(5))
        #expect(backpressure.inFlightChanged(to: 10, now: start) == .stopTaking)
        #expect(backpressure.inFlightChanged(to: 10, now: start + .seconds(4)) == .none)
        #expect(backpressure.inFlightChanged(to: 10, now: start + .seconds(5)) == .pausePartitions)
        #expect(backpressure.isPaused && backpressure.pollsConsumer, "paused, it polls again to serve rebalances")
        #expect(backpressure.inFlightChanged(to: 6, now: start + .seconds(9)) == .none)
        #expect(backpressure.inFlightChanged(to: 5, now: start + .seconds(9)) == .resumePartitions)
        #expect(backpressure.state == .taking)
    }

    @Test func aZeroPauseAfterPausesAtOnce() {
        var backpressure = Backpressure(high: 10, low: 5, pauseAfter: .zero)
        #expect(backpressure.inFlightChanged(to: 10, now: start) == .pausePartitions)
        #expect(backpressure.inFlightChanged(to: 0, now: start) == .resumePartitions)
    }
}
