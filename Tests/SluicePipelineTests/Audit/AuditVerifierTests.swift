import Foundation
import SluiceKafka
import SluiceModel
import Testing
@testable import SluicePipeline

/// `sluice audit verify`'s core over records a real processor loop wrote (in memory): an
/// untouched trail replays identically, and each kind of tampering or loss is found and named.
@Suite struct AuditVerifierTests {
    /// What a processor wrote for 40 events (a few of them undecodable, so dead-lettered).
    struct Trail {
        var audits: [[UInt8]]
        var predictions: [[UInt8]]
        /// The input records by partition, in offset order.
        var inputs: [[InMemoryBroker.Record]]
        let configuration: SluiceConfiguration
    }

    static func writtenTrail() async throws -> Trail {
        let broker = makeInMemoryBroker()
        for index in 0..<40 {
            let value = index % 11 == 3 ? #"{"amount":"oops"}"# : fraudEvent(index)
            broker.append(InMemoryBroker.Record(key: Array("card-\(index % 5)".utf8), value: Array(value.utf8)), to: "events", partition: Int32(index % 3))
        }
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 7)
        _ = try await runUntilSettled(configuration, broker: broker, sink: InMemorySink(broker: broker)) { $0.eventsIn == 40 }
        let inputs = broker.partitions(of: "events").map { partition in
            (0...).lazy.map { broker.record(at: Int64($0), of: partition) }.prefix { $0 != nil }.compactMap { $0 }
        }
        return Trail(
            audits: broker.records(of: "audit").map(\.value), predictions: broker.records(of: "predictions").map(\.value), inputs: inputs.map(Array.init),
            configuration: configuration
        )
    }

    /// Feeds `trail` to a fresh verifier, inputs last, and returns its report.
    static func verify(_ trail: Trail, models: [Model] = [fraudModel]) throws -> AuditVerificationReport {
        let verifier = try AuditVerifier(configuration: trail.configuration, models: models)
        for audit in trail.audits { verifier.addAudit(audit) }
        for prediction in trail.predictions { verifier.addPrediction(prediction) }
        for (partition, records) in trail.inputs.enumerated() {
            for (offset, record) in records.enumerated() {
                record.value.withUnsafeBytes { value in
                    let replay = { (key: UnsafeRawBufferPointer?) in
                        verifier.replay(topic: "events", partition: Int32(partition), offset: Int64(offset), key: key, value: value)
                    }
                    if let key = record.key { key.withUnsafeBytes { replay($0) } } else { replay(nil) }
                }
            }
        }
        return verifier.finish()
    }

    @Test func anUntouchedTrailReplaysEveryAuditedPredictionIdentically() async throws {
        let trail = try await Self.writtenTrail()
        let report = try Self.verify(trail)
        #expect(report.audited == trail.audits.count)
        #expect(report.audited == 36, "the 4 undecodable events were dead-lettered, not audited")
        #expect(report.identical == 36)
        #expect(report.isClean, "\(report)")
    }

    @Test func aPredictionChangedAfterItWasWrittenIsReportedAsOutputsDiffer() async throws {
        var trail = try await Self.writtenTrail()
        var text = String(decoding: trail.predictions[5], as: UTF8.self)
        // Each output is a probability: bump its first digit after "0."
        let range = try #require(text.range(of: "0."))
        let digit = text[range.upperBound]
        text.replaceSubrange(range.upperBound...range.upperBound, with: digit == "9" ? "8" : "9")
        trail.predictions[5] = Array(text.utf8)

        let report = try Self.verify(trail)
        #expect(report.counts[AuditVerificationReport.Finding.outputsDiffer] == 1)
        #expect(report.identical == 35)
        #expect(report.examples.first?.predictionID == RecordEncoder.predictionID(inRecord: trail.predictions[5]))
        #expect(!report.isClean)
    }

    @Test func aChangedInputALostInputAMissingPredictionAndAnUnknownModelAreEachNamed() async throws {
        var trail = try await Self.writtenTrail()
        // Partition 0, offset 0 (event 0) changed; partition 1's last record lost.
        trail.inputs[0][0].value = Array(fraudEvent(1000).utf8)
        trail.inputs[1].removeLast()
        // The prediction of events-2-3 lost, and the audit record of events-0-5 naming a model not at hand.
        let predictions = trail.predictions.count
        trail.predictions.removeAll { RecordEncoder.predictionID(inRecord: $0) == "events-2-3" }
        #expect(trail.predictions.count == predictions - 1)
        let audit = try #require(trail.audits.firstIndex { String(decoding: $0, as: UTF8.self).hasPrefix(#"{"prediction_id":"events-0-5""#) })
        let otherModel = String(decoding: trail.audits[audit], as: UTF8.self)
            .replacingOccurrences(of: fraudModel.identity.sha256, with: String(repeating: "0", count: 64))
        trail.audits[audit] = Array(otherModel.utf8)

        let report = try Self.verify(trail)
        #expect(report.counts[AuditVerificationReport.Finding.payloadChanged] == 1)
        #expect(report.counts[AuditVerificationReport.Finding.inputMissing] == 1)
        #expect(report.counts[AuditVerificationReport.Finding.predictionMissing] == 1)
        #expect(report.counts[AuditVerificationReport.Finding.modelNotAtHand] == 1)
        #expect(report.identical == 32)
    }

    @Test func aRecordThatIsNotAnAuditRecordIsCountedUnreadable() async throws {
        var trail = try await Self.writtenTrail()
        trail.audits.append(Array(#"{"prediction_id":"x"}"#.utf8))
        let report = try Self.verify(trail)
        #expect(report.unreadableAudits == 1)
        #expect(report.identical == 36)
        #expect(!report.isClean)
    }
}
