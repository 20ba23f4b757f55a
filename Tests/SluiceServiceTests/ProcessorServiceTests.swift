import Foundation
import Logging
import ServiceLifecycle
import SluiceDemoEvents
import SluiceKafka
import SluicePipeline
import SluiceService
import Testing

/// The processor as the commands run it: a service in a group, stopped by the group's graceful
/// shutdown, failing with errors that say which exit status applies.
@Suite struct ProcessorServiceTests {
    static let logger = Logger(label: "sluice.service.tests") { _ in SwiftLogNoOpLogHandler() }
    static let demoConfiguration = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/demo.yaml").path

    @Test func aGracefulShutdownOfItsGroupStopsTheProcessorAfterItsWorkAndHealthSaysItStopped() async throws {
        let cluster = try MockKafkaCluster()
        for (topic, partitions) in [("events", 3), ("predictions", 2), ("audit", 2), ("events.dlq", 1)] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        let produced = try await FraudEventProducer(bootstrap: cluster.bootstrapServers, topic: "events", events: 300, pacing: .unlimited).run()
        var configuration = try SluiceConfiguration.load(
            path: Self.demoConfiguration, overrides: [.bootstrap(cluster.bootstrapServers), .property("fetch.wait.max.ms", "1")]
        )
        configuration.http.isEnabled = false
        let service = try await ProcessorService(configuration: configuration, logger: Self.logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: Self.logger))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(60)
        while service.statistics.eventsIn < produced.produced || service.statistics.inFlight > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(service.observability.health.readiness().isPositive)

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(service.statistics.eventsIn == produced.produced && service.statistics.predictions == produced.produced)
        #expect(service.statistics.inFlight == 0 && service.statistics.commits > 0)
        #expect(service.observability.health.readiness().reason == "the processor has stopped")
        #expect(service.observability.health.liveness().isPositive, "a processor stopped on request is not a failure")
    }

    @Test func noBrokerAnsweringWithinTheConnectTimeoutEndsTheRunAsUnreachable() async throws {
        var configuration = try SluiceConfiguration.load(path: Self.demoConfiguration, overrides: [.bootstrap("127.0.0.1:1")])
        configuration.http.isEnabled = false
        configuration.kafka.connectTimeout = .milliseconds(500)
        let service = try await ProcessorService(configuration: configuration, logger: Self.logger)
        await #expect {
            try await service.run()
        } throws: { error in
            guard case ProcessorServiceError.brokersUnreachable(let reason) = error else { return false }
            return reason.contains("kafka.connect_timeout")
        }
    }

    @Test func aModelThatCannotBeLoadedFailsTheServiceAsUnusableNamingTheFile() async throws {
        var configuration = try SluiceConfiguration.load(path: Self.demoConfiguration)
        configuration.http.isEnabled = false
        configuration.model.path = "/nonexistent/model.onnx"
        await #expect {
            _ = try await ProcessorService(configuration: configuration, logger: Self.logger)
        } throws: { error in
            guard case ProcessorServiceError.unusable = error else { return false }
            return "\(error)".contains("/nonexistent/model.onnx")
        }
    }
}
