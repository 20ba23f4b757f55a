import Crypto
import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

/// The processor end to end on the embedded cluster, with the demo's fraud model.
@Suite(.serialized) struct ProcessorTests {
    @Test func everyEventGetsOnePredictionAndOneAuditInPartitionOrderAndOffsetsCommitToTheEnd() async throws {
        let cluster = try makeProcessorCluster()
        let inputs = try produceEvents((0..<600).map(fraudEvent), to: cluster)
        let processor = try Processor(configuration: processorConfiguration(cluster, group: "scoring"), model: fraudModel, logger: silentLogger)
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster)
        try await reader.read(until: "600 predictions and audits") { $0.count("predictions") >= 600 && $0.count("audit") >= 600 }
        processor.stop()
        try await running.value

        let predictions = reader["predictions"]
        let audits = reader["audit"]
        #expect(predictions.count == 600)
        #expect(audits.count == 600)
        #expect(reader.count("events.dlq") == 0)
        #expect(Set(predictions.compactMap { $0.header(RecordHeaderName.predictionID) }) == Set(inputs.map(\.predictionID)))
        for prediction in predictions {
            let outputs = prediction.json["outputs"] as? [String: Any]
            let probability = outputs?["fraud_probability"] as? Double
            #expect(probability.map { (0...1).contains($0) } == true, "\(prediction.text)")
            #expect(prediction.header(RecordHeaderName.model) == "fraud:1")
        }
        // Payloads are hashed in pairs: each audit must still name its own payload's hash.
        var payloadHashes: [String: String] = [:]
        for (index, input) in inputs.enumerated() {
            payloadHashes["\(input.partition)-\(input.offset)"] = SHA256.hash(data: Array(fraudEvent(index).utf8)).map { String(format: "%02x", $0) }.joined()
        }
        var lastOffset: [Int32: Int64] = [:]
        for audit in audits.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            let input = audit.json["input"] as? [String: Any]
            let partition = Int32(input?["partition"] as? Int ?? -1)
            let offset = Int64(input?["offset"] as? Int ?? -1)
            #expect(audit.json["prediction_id"] as? String == "events-\(partition)-\(offset)")
            #expect(input?["sha256"] as? String == payloadHashes["\(partition)-\(offset)"], "payload hash of \(partition)@\(offset)")
            #expect(audit.headers.isEmpty, "the audit record's value holds its prediction id and model")
            // Outputs are keyed like their inputs, so within an output partition the inputs of
            // each input partition must appear in offset order.
            let key = Int32(audit.partition) * 1000 + partition
            #expect(offset > lastOffset[key, default: -1], "audit of \(partition)@\(offset) after \(lastOffset[key, default: -1])")
            lastOffset[key] = offset
        }
        let ends = Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        #expect(try committedOffsets(cluster, group: "scoring") == ends)
        let statistics = processor.statistics
        #expect(statistics.eventsIn == 600 && statistics.predictions == 600 && statistics.audits == 600)
        #expect(statistics.acknowledgedOutputs == 1200 && statistics.inFlight == 0)
        #expect(statistics.endToEndLatency.count == 600)
        // Each event is consumed before its outputs are acknowledged, so every quantile of the
        // part before consumption is at most the end-to-end one.
        #expect(statistics.consumeLatency.count == 600)
        for q in [0.5, 0.99] {
            #expect(statistics.consumeLatency.quantile(q)! <= statistics.endToEndLatency.quantile(q)!)
        }
        #expect(statistics.loopCPUSeconds > 0)
    }

    @Test func malformedEventsBecomeDeadLettersWithTheirReasonAndTheStreamGoesOn() async throws {
        let cluster = try makeProcessorCluster()
        var payloads = (0..<300).map(fraudEvent)
        let broken: [Int: (payload: String, errorClass: String)] = [
            7: (#"{"amount":12.5,"features":[1,2"#, "invalid_json"),
            50: (#"{"features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#, "missing_feature"),
            51: (#"{"amount":"12.50","features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#, "wrong_type"),
            299: (#"{"amount":1,"features":[0,0,0],"hour":1,"account_age_days":3}"#, "wrong_length"),
        ]
        for (index, event) in broken { payloads[index] = event.payload }
        let inputs = try produceEvents(payloads, to: cluster)
        let processor = try Processor(configuration: processorConfiguration(cluster, group: "dead-letters"), model: fraudModel, logger: silentLogger)
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster)
        try await reader.read(until: "296 predictions and 4 dead letters") {
            $0.count("predictions") >= 296 && $0.count("audit") >= 296 && $0.count("events.dlq") >= 4
        }
        processor.stop()
        try await running.value

        #expect(reader.count("predictions") == 296)
        let deadLetters = reader["events.dlq"]
        #expect(deadLetters.count == 4)
        for (index, event) in broken {
            let input = inputs[index]
            let letter = deadLetters.first { $0.header(RecordHeaderName.sourceOffset) == "\(input.offset)" && $0.header(RecordHeaderName.sourcePartition) == "\(input.partition)" }
            #expect(letter?.text == event.payload)
            #expect(letter?.key == "card-\(index % 7)")
            #expect(letter?.header("source") == "test", "the original headers are kept")
            #expect(letter?.header(RecordHeaderName.errorClass) == event.errorClass)
            #expect(letter?.header(RecordHeaderName.sourceTopic) == "events")
            #expect(letter?.header(RecordHeaderName.errorMessage)?.isEmpty == false)
        }
        let predicted = Set(reader["predictions"].compactMap { $0.header(RecordHeaderName.predictionID) })
        #expect(predicted == Set(inputs.enumerated().filter { broken[$0.offset] == nil }.map(\.element.predictionID)))
        let ends = Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        #expect(try committedOffsets(cluster, group: "dead-letters") == ends)
    }

    @Test func aProcessorStoppedMidStreamAndRestartedInTheSameGroupLeavesNoOffsetWithoutPrediction() async throws {
        let cluster = try makeProcessorCluster()
        let inputs = try produceEvents((0..<3000).map(fraudEvent), to: cluster)
        let configuration = try processorConfiguration(cluster, group: "restart", maxSize: 16, maxInFlight: 48, resumeAt: 16)
        let first = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let firstRun = Task { try await first.run() }
        try await waitUntil("the first processor is mid-stream") { first.statistics.eventsIn >= 300 }
        first.stop()
        try await firstRun.value
        let committedAtStop = try committedOffsets(cluster, group: "restart")
        #expect(first.statistics.eventsIn < 3000, "stopped mid-stream")

        let second = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let secondRun = Task { try await second.run() }
        let reader = try OutputReader(cluster)
        let expected = Set(inputs.map(\.predictionID))
        try await reader.read(until: "every offset's prediction") { reader in
            Set(reader["predictions"].compactMap { $0.header(RecordHeaderName.predictionID) }).isSuperset(of: expected)
        }
        second.stop()
        try await secondRun.value

        let ids = reader["predictions"].compactMap { $0.header(RecordHeaderName.predictionID) }
        #expect(Set(ids) == expected)
        for (id, count) in Dictionary(grouping: ids, by: { $0 }).mapValues(\.count) where count > 1 {
            let input = inputs.first { $0.predictionID == id }!
            #expect(input.offset >= committedAtStop[input.partition, default: 0], "\(id) was committed, yet scored twice")
        }
        let ends = Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        #expect(try committedOffsets(cluster, group: "restart") == ends)
    }

    @Test func slowOutputsHoldTheInputWithoutPausingItWithInFlightBoundedAndEverythingStillCompletes() async throws {
        let cluster = try makeProcessorCluster()
        let inputs = try produceEvents((0..<600).map(fraudEvent), to: cluster)
        try cluster.setRoundTripTime(.milliseconds(10), forBroker: 1)
        let configuration = try processorConfiguration(cluster, group: "slow", maxSize: 16, maxInFlight: 64, resumeAt: 16)
        let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster)
        try await reader.read(until: "all predictions") { $0.count("predictions") >= 600 && $0.count("audit") >= 600 }
        processor.stop()
        try await running.value

        let statistics = processor.statistics
        #expect(statistics.holds > 0, "the in-flight bound was reached")
        #expect(statistics.pauses == 0, "acknowledgements came well within pause_after_ms: holding sufficed")
        #expect(statistics.peakInFlight < 64 + 16, "in flight stays under the high watermark plus one poll")
        #expect(Set(reader["predictions"].compactMap { $0.header(RecordHeaderName.predictionID) }) == Set(inputs.map(\.predictionID)))
    }

    /// What an instance killed at any moment leaves to redo: its acknowledged work reaches the
    /// group through the background commit while it runs, without a stop or a revoke.
    @Test func acknowledgedOffsetsAreCommittedWhileTheProcessorRunsSoAnAbandonedInstanceLeavesNothingAcknowledgedToRedo() async throws {
        let cluster = try makeProcessorCluster()
        let inputs = try produceEvents((0..<300).map(fraudEvent), to: cluster)
        var configuration = try processorConfiguration(cluster, group: "cadence")
        configuration.kafka.commitIntervalMilliseconds = 100
        let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let running = Task { try await processor.run() }
        try await waitUntil("every output acknowledged") { processor.statistics.acknowledgedOutputs == 600 }
        let ends = partitionEnds(inputs)
        var committed = try committedOffsets(cluster, group: "cadence")
        let deadline = ContinuousClock.now + processorPatience
        while committed != ends {
            guard ContinuousClock.now < deadline else { throw TimedOut(description: "the group's commits stayed at \(committed), not \(ends)") }
            try await Task.sleep(for: .milliseconds(20))
            committed = try committedOffsets(cluster, group: "cadence")
        }
        #expect(processor.statistics.commits == 0, "committed in the background: the instance has not stopped or lost a partition")
        processor.stop()
        try await running.value
    }
}
