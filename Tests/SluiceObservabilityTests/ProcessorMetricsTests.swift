import Foundation
import SluiceKafka
import SluiceModel
import SluiceObservability
import SluicePipeline
import Testing

/// A processor on the embedded cluster, observed through the HTTP endpoint as Prometheus and an
/// orchestrator would see it.
@Suite(.serialized) struct ProcessorMetricsTests {
    @Test func scrapedCountersEqualWhatHappenedHistogramsCountEveryEventAndLagDrainsToZero() async throws {
        let cluster = try makeCluster()
        var payloads = (0..<300).map(fraudEvent)
        let broken = [
            10: "invalid_json", 11: "invalid_json", 120: "missing_feature", 250: "wrong_type",
        ]
        payloads[10] = #"{"amount":1,"features":[1,2"#
        payloads[11] = "not json"
        payloads[120] = #"{"features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#
        payloads[250] = #"{"amount":"12.50","features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#
        try produceEvents(payloads, to: cluster)
        let events = payloads.count
        let predicted = events - broken.count

        let configuration = try makeConfiguration(cluster, group: "observed")
        let observability = try await Observability.start(
            configuration: configuration, kafkaStatisticsInterval: .milliseconds(100), logger: silentLogger
        )
        let port = try #require(observability.server?.port)
        let model = try Model(contentsOf: configuration.model.path)
        observability.modelLoaded(.init(name: "fraud", version: "1", sha256: model.identity.sha256))
        var options = Processor.Options(instance: "observed-test")
        options.observer = observability.observer
        let processor = try Processor(configuration: configuration, model: model, options: options, logger: silentLogger)

        #expect(try await get("/healthz", port: port).status == 200)
        observability.health.processorStarted()
        let unassigned = try await get("/readyz", port: port)
        #expect(unassigned.status == 503, "started, but the group has not assigned partitions yet")
        #expect(unassigned.contentType == "application/json")
        #expect(unassigned.body.contains(#""reason":"waiting for the consumer group to assign partitions""#))

        let running = Task { try await processor.run() }
        let samples = try await scrape(port: port, until: "every event's outcome is acknowledged") { samples in
            samples.value("sluice_events_consumed_total") == Double(events)
                && samples.value("sluice_records_acknowledged_total") == Double(2 * predicted + broken.count)
                && samples.value("sluice_events_in_flight") == 0
        }
        #expect(samples.value("sluice_events_predicted_total") == Double(predicted))
        for errorClass in ["invalid_json", "missing_feature", "wrong_type", "wrong_length"] {
            let expected = broken.values.filter { $0 == errorClass }.count
            #expect(samples.value("sluice_events_dead_lettered_total", ["error_class": errorClass]) == Double(expected), "\(errorClass)")
        }
        #expect(samples.value("sluice_records_produced_total", ["output": "predictions", "topic": "predictions"]) == Double(predicted))
        #expect(samples.value("sluice_records_produced_total", ["output": "audit", "topic": "audit"]) == Double(predicted))
        #expect(samples.value("sluice_records_produced_total", ["output": "dead_letter", "topic": "events.dlq"]) == Double(broken.count))
        #expect(samples.series("sluice_delivery_failures_total").values.allSatisfy { $0 == 0 })
        #expect(samples.value("sluice_queue_wait_seconds_count") == Double(predicted), "one queue wait per predicted event")
        #expect(samples.value("sluice_end_to_end_latency_seconds_count") == Double(predicted), "one end-to-end latency per predicted event")
        #expect(samples.value("sluice_end_to_end_latency_seconds_bucket", ["le": "+Inf"]) == Double(predicted))
        #expect(samples.value("sluice_batch_size_events_sum") == Double(predicted), "the batches hold every predicted event")
        let batches = try #require(samples.value("sluice_batch_size_events_count"))
        #expect(batches >= Double(predicted) / 32)
        #expect(samples.value("sluice_inference_seconds_count") == batches, "one inference per batch")
        #expect(samples.value("sluice_partitions_assigned") == 3)
        #expect(samples.value("sluice_partitions_paused") == 0)
        #expect(try #require(samples.value("sluice_rebalances_total", ["kind": "assigned"])) >= 1)
        #expect(samples.value("sluice_model_info", ["name": "fraud", "version": "1", "sha256": model.identity.sha256]) == 1)
        #expect(samples.value("sluice_model_predictions_total", ["name": "fraud", "sha256": model.identity.sha256]) == Double(predicted))
        #expect(samples.value("sluice_model_inference_seconds_count", ["sha256": model.identity.sha256]) == batches, "one per batch")

        let drained = try await scrape(port: port, until: "the lag of every partition is 0 and a broker round trip is known") { samples in
            let lag = samples.series("sluice_consumer_lag_messages", ["topic": "events"])
            return lag.count == 3 && lag.values.allSatisfy { $0 == 0 }
                && !samples.series("sluice_kafka_broker_rtt_seconds", ["client": "consumer"]).isEmpty
        }
        #expect(try #require(drained.value("sluice_commits_total")) >= 1)
        #expect(drained.value("sluice_commit_failures_total") == 0)
        #expect(drained.value("sluice_input_offset_resets_total", ["topic": "events"]) == 0)
        #expect(drained.value("sluice_events_skipped_total", ["topic": "events"]) == 0)
        #expect(drained.value("sluice_producer_queue_messages") != nil, "librdkafka's producer statistics arrived")
        #expect(try #require(drained.value("sluice_kafka_brokers_up", ["client": "consumer"])) >= 1)
        #expect(drained.series("sluice_kafka_broker_rtt_seconds").values.allSatisfy { $0 > 0 })
        // Drift series exist only with `monitoring:` configured: DriftMetricsTests checks those.
        let driftSeries = DriftMetricsTests.emittedNames()
        for name in try dashboardMetricNames() where !driftSeries.contains(name) {
            #expect(drained.text.contains("\n\(name)"), "Docker/grafana/dashboards/sluice.json queries \(name), which Sluice does not export")
        }

        let ready = try await get("/readyz", port: port)
        #expect(ready.status == 200)
        #expect(ready.body.contains(#""status":"ok""#) && ready.body.contains(#""assigned_partitions":3"#))
        #expect(try await get("/healthz", port: port).status == 200)

        processor.stop()
        try await running.value
        observability.health.processorStopped(error: nil)
        let stopped = try await get("/readyz", port: port)
        #expect(stopped.status == 503 && stopped.body.contains("the processor has stopped"))
        await observability.stop()
    }

    @Test func offsetResetsAreCountedWithTheEventsTheySkipped() async throws {
        let cluster = try makeCluster()
        let configuration = try makeConfiguration(cluster, group: "resets")
        let observability = try await Observability.start(configuration: configuration, logger: silentLogger)
        let port = try #require(observability.server?.port)
        let observer = try #require(observability.observer)
        let reason = "fetch failed due to requested offset not available on the broker"
        observer.kafkaOffsetReset(.init(topic: "events", partition: 2, requestedOffset: 99_654, resetOffset: 103_712, reason: reason))
        observer.kafkaOffsetReset(.init(topic: "events", partition: 0, requestedOffset: 10, resetOffset: nil, reason: reason))
        observer.kafkaOffsetReset(.init(topic: "elsewhere", partition: 0, requestedOffset: 1, resetOffset: 5, reason: reason))
        let samples = try await scrape(port: port, until: "both resets of the input topic are counted") { samples in
            samples.value("sluice_input_offset_resets_total", ["topic": "events"]) == 2
        }
        #expect(samples.value("sluice_events_skipped_total", ["topic": "events"]) == 4_058, "a reset to the end skips an unknown count")
        #expect(samples.series("sluice_input_offset_resets_total").count == 1, "only the configured input topics")
        await observability.stop()
    }

    @Test func readinessIsRefusedWithTheReasonWhileTheModelCannotBeLoaded() async throws {
        let cluster = try makeCluster()
        let configuration = try makeConfiguration(cluster, group: "broken-model")
        let observability = try await Observability.start(configuration: configuration, logger: silentLogger)
        let port = try #require(observability.server?.port)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).onnx")
        try Data("this is not an ONNX model".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let loading = try await get("/readyz", port: port)
        #expect(loading.status == 503 && loading.body.contains("the model is not loaded yet"))
        do {
            _ = try Model(contentsOf: file.path)
            Issue.record("a model was loaded from garbage")
        } catch {
            observability.health.modelFailed("\(error)")
        }
        observability.health.processorStarted()
        let broken = try await get("/readyz", port: port)
        #expect(broken.status == 503)
        let reply = try JSONSerialization.jsonObject(with: Data(broken.body.utf8)) as? [String: Any]
        #expect(reply?["status"] as? String == "unavailable")
        #expect((reply?["reason"] as? String)?.hasPrefix("the model failed to load: ") == true, "\(broken.body)")
        #expect(try await get("/healthz", port: port).status == 200, "alive, only not ready")
        #expect(try await get("/nowhere", port: port).status == 404)
        await observability.stop()
    }

    @Test func disabledMetricsServeNothingAndRecordNothingButHealth() async throws {
        let cluster = try makeCluster()
        var configuration = try makeConfiguration(cluster, group: "unobserved")
        configuration.http.isEnabled = false
        let observability = try await Observability.start(configuration: configuration, logger: silentLogger)
        #expect(observability.server == nil)
        #expect(observability.metrics == nil)
        #expect(observability.observer?.kafkaStatisticsInterval == nil, "only health is kept: no statistics asked for")
    }
}
