import SluicePipeline
import Testing
@testable import SluiceObservability

/// When a processor counts as wedged for `/healthz`, driven with explicit times.
struct ProgressWatchTests {
    let start = ContinuousClock.now

    func statistics(consumed: Int, acknowledged: Int = 0, inFlight: Int, partitions: Int = 4) -> ProcessorStatistics {
        var statistics = ProcessorStatistics()
        statistics.eventsIn = consumed
        statistics.acknowledgedOutputs = acknowledged
        statistics.inFlight = inFlight
        statistics.assignedPartitions = partitions
        return statistics
    }

    @Test func partitionsWithWorkWaitingAndNoProgressForTheTimeoutAreAStall() {
        var watch = ProgressWatch(stallTimeout: .seconds(10))
        watch.published(statistics(consumed: 500, inFlight: 48), now: start)
        watch.published(statistics(consumed: 500, inFlight: 48), now: start + .seconds(9))
        #expect(watch.stall(now: start + .seconds(9)) == nil)
        watch.published(statistics(consumed: 500, inFlight: 48), now: start + .seconds(10))
        let reason = watch.stall(now: start + .seconds(10))
        #expect(reason?.hasPrefix("4 assigned partitions made no progress for 10.0 seconds while 48 events wait") == true, "\(reason ?? "nil")")
    }

    @Test func anAcknowledgementOrAConsumedEventIsProgress() {
        var watch = ProgressWatch(stallTimeout: .seconds(10))
        watch.published(statistics(consumed: 500, inFlight: 48), now: start)
        watch.published(statistics(consumed: 500, acknowledged: 2, inFlight: 47), now: start + .seconds(8))
        watch.published(statistics(consumed: 501, acknowledged: 2, inFlight: 48), now: start + .seconds(16))
        #expect(watch.stall(now: start + .seconds(17)) == nil)
        #expect(watch.stall(now: start + .seconds(26)) != nil)
    }

    @Test func anIdleProcessorWithNothingWaitingIsNeverAStall() {
        var watch = ProgressWatch(stallTimeout: .seconds(10))
        watch.published(statistics(consumed: 500, inFlight: 0), now: start)
        #expect(watch.stall(now: start + .seconds(3600)) == nil)
        watch.published(statistics(consumed: 500, inFlight: 3, partitions: 0), now: start + .seconds(3600))
        #expect(watch.stall(now: start + .seconds(7200)) == nil, "no partitions assigned: nothing to make progress on")
    }
}
