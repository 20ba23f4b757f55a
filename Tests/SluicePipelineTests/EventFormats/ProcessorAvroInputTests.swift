import Foundation
import SluiceKafka
import Synchronization
import Testing
@testable import SluicePipeline

/// `input.format: avro` with a Schema Registry, end to end on the embedded cluster.
@Suite(.serialized) struct ProcessorAvroInputTests {
    @Test func avroEventsGetThePredictionsOfTheSameEventsAsJSONAndTheInputWaitsOutADownRegistry() async throws {
        let cluster = try makeProcessorCluster()
        try cluster.createTopic("avro-events", partitions: 3)
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        registry.isFailing = true
        let malformed = EventFormatFixtures.malformed
        let avro = EventFormatFixtures.avroEvents("events-v2.hex").map { ConfluentFraming.frame(schemaID: 2, body: $0) }
        let jsonInputs = try produceEvents(EventFormatFixtures.jsonEvents, to: cluster)
        let avroInputs = try produceEvents(avro + malformed.map(\.payload), to: cluster, topic: "avro-events")

        var configuration = try processorConfiguration(cluster, group: "avro")
        configuration.input.topics = ["avro-events"]
        configuration.input.format = .avro
        configuration.input.schemaRegistry = .init(url: registry.url)
        configuration.outputs.deadLetter = "events.dlq"
        let observer = RecordingProcessorObserver()
        var options = Processor.Options()
        options.observer = observer
        let avroProcessor = try Processor(configuration: configuration, model: fraudModel, options: options, logger: silentLogger)
        let avroRun = Task { try await avroProcessor.run() }
        try await waitUntil("the input is held for the registry") { observer.reasons.count >= 1 }
        try await waitUntil("the registry was asked again") { registry.requests >= 3 }
        #expect(avroProcessor.statistics.deadLetters == 0, "no dead letter while the registry is down")
        registry.isFailing = false

        let jsonProcessor = try Processor(configuration: processorConfiguration(cluster, group: "json"), model: fraudModel, logger: silentLogger)
        let jsonRun = Task { try await jsonProcessor.run() }
        let reader = try OutputReader(cluster)
        let events = avro.count
        try await reader.read(until: "both runs' predictions and the dead letters") {
            $0.count("predictions") >= 2 * events && $0.count("events.dlq") >= malformed.count
        }
        avroProcessor.stop()
        jsonProcessor.stop()
        try await avroRun.value
        try await jsonRun.value

        var probabilities: [String: Double] = [:]
        for prediction in reader["predictions"] {
            let outputs = prediction.json["outputs"] as? [String: Any]
            probabilities[prediction.header(RecordHeaderName.predictionID) ?? ""] = outputs?["fraud_probability"] as? Double
        }
        for index in 0..<events {
            let json = probabilities["events-\(jsonInputs[index].partition)-\(jsonInputs[index].offset)"]
            let avro = probabilities["avro-events-\(avroInputs[index].partition)-\(avroInputs[index].offset)"]
            #expect(json != nil && avro == json, "event \(index)")
        }
        let letters = reader["events.dlq"]
        #expect(letters.count == malformed.count)
        for (index, malformed) in malformed.enumerated() {
            let input = avroInputs[events + index]
            let letter = letters.first { $0.header(RecordHeaderName.sourcePartition) == "\(input.partition)" && $0.header(RecordHeaderName.sourceOffset) == "\(input.offset)" }
            #expect(letter?.header(RecordHeaderName.errorClass) == malformed.errorClass, "\(malformed.what)")
            #expect(letter?.value == malformed.payload)
        }
        #expect(observer.reasons.first??.contains("503") == true)
        #expect(observer.reasons.last == .some(nil), "released once the schema came")
    }
}
