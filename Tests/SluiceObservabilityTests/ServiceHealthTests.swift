import SluiceKafka
@testable import SluiceObservability
import Testing

/// The liveness and readiness verdicts, driven step by step.
struct ServiceHealthTests {
    struct Stuck: Error, CustomStringConvertible {
        var description: String { "poll failed" }
    }

    @Test func aLoopWithoutHeartbeatForLongerThanTheTimeoutIsNotAlive() async throws {
        let health = ServiceHealth(livenessTimeout: .zero)
        #expect(health.liveness().isPositive, "nothing started yet: alive")
        health.processorStarted()
        try await Task.sleep(for: .milliseconds(2))
        let verdict = health.liveness()
        #expect(!verdict.isPositive)
        #expect(verdict.reason?.hasPrefix("the processor loop made no progress for") == true)
        #expect(health.readiness().reason?.hasPrefix("the processor loop made no progress for") == true, "not alive is not ready")
    }

    @Test func aProcessorStoppedOnAnErrorIsNotAliveAndSaysWhy() {
        let health = ServiceHealth()
        health.modelLoaded()
        health.processorStarted()
        health.processorStopped(error: Stuck())
        let verdict = health.liveness()
        #expect(!verdict.isPositive)
        #expect(verdict.json == #"{"status":"unavailable","reason":"the processor stopped on an error: poll failed","assigned_partitions":0}"#)
    }

    @Test func readinessWaitsForModelProcessorAndAssignmentInThatOrder() {
        let health = ServiceHealth()
        #expect(health.readiness().reason == "the model is not loaded yet")
        health.modelLoaded()
        #expect(health.readiness().reason == "the processor has not started")
        health.processorStarted()
        #expect(health.readiness().reason == "waiting for the consumer group to assign partitions")
        health.processorStopped(error: nil)
        #expect(health.readiness().reason == "the processor has stopped")
        #expect(health.liveness().isPositive, "a clean stop is not a failure")
    }

    @Test func anInputHeldForASchemaIsNotReadyUntilReleasedAndStaysAlive() {
        let health = ServiceHealth()
        health.modelLoaded()
        health.processorStarted()
        health.processorRebalanced(.assigned([]))
        #expect(health.readiness().isPositive)
        health.inputHeld("the schema registry cannot give schema 3: HTTP 503")
        #expect(health.readiness().reason == "input held: the schema registry cannot give schema 3: HTTP 503")
        #expect(health.liveness().isPositive)
        health.inputHeld(nil)
        #expect(health.readiness().isPositive)
    }
}
