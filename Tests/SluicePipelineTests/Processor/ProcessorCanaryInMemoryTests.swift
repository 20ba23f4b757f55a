import Foundation
import SluiceModel
import Testing
@testable import SluicePipeline

/// The canary (`model.canary`) through the real loop: each event is scored by the model its key
/// routes it to, gets one prediction and one audit record naming that model, and every offset
/// commits.
@Suite struct ProcessorCanaryInMemoryTests {
    @Test func eachEventGetsOnePredictionAndOneAuditRecordNamingTheModelItsKeyRoutesItTo() async throws {
        let fixtures = try ModelFixtures()
        let broker = makeInMemoryBroker()
        var keyOf: [String: [UInt8]?] = [:]
        for index in 0..<300 {
            // Every sixth event has no key: routed by its topic, partition and offset.
            let key = index % 6 == 5 ? nil : Array("card-\(index % 97)".utf8)
            let partition = Int32(index % 3)
            let offset = broker.append(InMemoryBroker.Record(key: key, value: Array(fraudEvent(index).utf8)), to: "events", partition: partition)
            keyOf["events-\(partition)-\(offset)"] = key
        }
        var configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 16)
        var canary = SluiceConfiguration.Model.Canary(path: try fixtures.write(ModelFixtures.fraudVariant("canary"), to: "fraud-v2.onnx"), percent: 30)
        canary.version = "2"
        configuration.model.canary = canary
        let canaryModel = try ModelCandidate.prepare(path: canary.path, configuration: configuration)
        let observer = RecordingProcessorObserver()
        let statistics = try await runUntilSettled(
            configuration, canary: canaryModel, broker: broker, sink: InMemorySink(broker: broker, reportsPerPoll: 4), observer: observer
        ) { $0.eventsIn == 300 }
        // A batch both models scored is one batch to the batch-size metric, not two.
        #expect(observer.scoredBatchSizes.count == statistics.batches && observer.scoredBatchSizes.reduce(0, +) == 300)

        let routing = CanaryRouting(percent: 30)
        func goesToCanary(_ id: String) -> Bool {
            guard let key = keyOf[id]! else {
                let parts = id.split(separator: "-")
                return routing.routesToCanary(topic: "events", partition: Int32(parts[1])!, offset: Int64(parts[2])!)
            }
            return key.withUnsafeBytes { routing.routesToCanary(key: $0) }
        }
        let predictions = broker.records(of: "predictions")
        let audits = broker.records(of: "audit")
        let ids = predictions.compactMap { $0.header(RecordHeaderName.predictionID) }
        #expect(ids.count == 300 && Set(ids) == Set(keyOf.keys), "one prediction per event")
        #expect(audits.count == 300)
        let expectedCanary = keyOf.keys.filter(goesToCanary).count
        #expect(expectedCanary > 40 && expectedCanary < 140, "both models scored a fair share")
        #expect(statistics.canaryRows == expectedCanary)
        for prediction in predictions {
            let id = prediction.header(RecordHeaderName.predictionID) ?? ""
            #expect(prediction.header(RecordHeaderName.model) == (goesToCanary(id) ? "fraud-v2:2" : "fraud:1"), "\(id)")
            #expect(prediction.key == keyOf[id] ?? nil)
        }
        for audit in audits {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(audit.value)) as? [String: Any])
            let id = try #require(record["prediction_id"] as? String)
            let model = try #require(record["model"] as? [String: String])
            #expect(model["sha256"] == (goesToCanary(id) ? canaryModel : fraudModel).identity.sha256, "\(id)")
        }
        // A key's predictions keep their input order: one model scored them all.
        var lastOffset: [String: Int64] = [:]
        for id in ids {
            let parts = id.split(separator: "-")
            guard let key = keyOf[id]! else { continue }
            let stream = String(decoding: key, as: UTF8.self) + "@" + parts[1]
            let offset = Int64(parts[2])!
            #expect(offset > lastOffset[stream, default: -1], "\(id) after \(lastOffset[stream] ?? -1)")
            lastOffset[stream] = offset
        }
        #expect(broker.committed == broker.ends(of: "events"))
    }

    @Test func aShadowModelBesideACanaryWritesOneShadowRecordPerEventWhicheverModelServedIt() async throws {
        let fixtures = try ModelFixtures()
        let broker = makeInMemoryBroker()
        broker.createTopic("predictions.shadow", partitions: 1)
        for index in 0..<120 {
            broker.append(InMemoryBroker.Record(key: Array("user-\(index % 31)".utf8), value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3))
        }
        var configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 8)
        configuration.model.shadow = SluiceConfiguration.Model.Shadow(path: try fixtures.write(ModelFixtures.fraudVariant("shadow"), to: "shadow.onnx"))
        configuration.model.canary = SluiceConfiguration.Model.Canary(path: try fixtures.write(ModelFixtures.fraudVariant("canary"), to: "canary.onnx"), percent: 50)
        let shadow = try ModelCandidate.prepare(path: configuration.model.shadow!.path, configuration: configuration, validating: false)
        let canary = try #require(try ModelCandidate.prepareCanary(configuration: configuration))
        let statistics = try await runUntilSettled(
            configuration, shadow: shadow, canary: canary, broker: broker, sink: InMemorySink(broker: broker, reportsPerPoll: 4)
        ) { $0.eventsIn == 120 }

        let predictions = broker.records(of: "predictions")
        let shadows = broker.records(of: "predictions.shadow")
        #expect(predictions.count == 120 && shadows.count == 120 && statistics.shadowRecords == 120)
        #expect(Set(shadows.compactMap { $0.header(RecordHeaderName.predictionID) }) == Set(predictions.compactMap { $0.header(RecordHeaderName.predictionID) }))
        #expect(shadows.allSatisfy { $0.header(RecordHeaderName.model) == "shadow:unversioned" })
        #expect(statistics.canaryRows > 0 && statistics.canaryRows < 120, "both models served: \(statistics.canaryRows)")
        #expect(predictions.filter { $0.header(RecordHeaderName.model) == "canary:unversioned" }.count == statistics.canaryRows)
        #expect(broker.committed == broker.ends(of: "events"), "every offset committed once its shadow record too was acknowledged")
    }
}
