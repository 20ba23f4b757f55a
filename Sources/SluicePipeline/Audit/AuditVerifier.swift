import Foundation
import SluiceKernels
import SluiceModel

/// Replays audited predictions: for each audit record, takes its input record from the input
/// topic, checks the payload's SHA-256, decodes it with the configured features, checks the
/// feature row's SHA-256, scores it with the model of the audited SHA-256 and encodes the
/// prediction exactly as the processor does; the replay must give, byte for byte, the prediction
/// record written under the same prediction id. A row whose outputs are not finite was
/// dead-lettered instead, so it must have no prediction record.
///
/// Feed it every audit record (``addAudit(_:)``), then the prediction records
/// (``addPrediction(_:)``), then the input records (``replay(topic:partition:offset:key:value:)``),
/// and take the ``finish()`` report. Scoring is batch-independent (a row gives bit-identical
/// outputs alone or in any batch), so each input is replayed alone. Used on one thread.
public final class AuditVerifier {
    private struct InputCoordinate: Hashable {
        var topic: String
        var partition: Int32
        var offset: Int64
    }

    private let configuration: SluiceConfiguration
    private let decoder: EventDecoder
    private var batcher: MicroBatcher
    private var sessions: [String: (model: Model, session: ModelSession)] = [:]
    private var encoders: [AuditedPrediction.Model: RecordEncoder] = [:]
    /// Audited predictions waiting for their input, by input record.
    private var pending: [InputCoordinate: AuditedPrediction] = [:]
    private var auditedIDs: Set<String> = []
    private var predictions: [String: [UInt8]] = [:]
    private var report = AuditVerificationReport()
    private var predictionID = JSONBuffer(capacity: 64)
    private var predictionValue = JSONBuffer()

    /// A verifier for the processor configured by `configuration`, with `models` at hand (the
    /// configured one and any other an audit record may name). The first model's inputs define
    /// how events are decoded; every model replayed must take the same inputs.
    ///
    /// - Throws: when the features do not fit the first model, or the input format's schemas
    ///   cannot be had (see ``EventSchemas``).
    public init(configuration: SluiceConfiguration, models: [Model]) throws {
        precondition(!models.isEmpty, "at least one model")
        self.configuration = configuration
        let json = try configuration.preflightCheck(model: models[0])
        let schemas = try EventSchemas.make(
            for: configuration.input, features: json, readFile: { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
        )
        decoder = EventDecoder(json: json, schemas: schemas)
        batcher = MicroBatcher(limits: .init(maxSize: 1, maxDelay: .seconds(1)), layout: json.layout)
        for model in models { sessions[model.identity.sha256] = (model, model.makeSession()) }
    }

    /// Takes an audit record's value; returns `false` (and counts it) when it is not one.
    @discardableResult
    public func addAudit(_ value: [UInt8]) -> Bool {
        guard let audited = try? AuditedPrediction(record: value) else {
            report.unreadableAudits += 1
            return false
        }
        let input = InputCoordinate(topic: audited.input.topic, partition: audited.input.partition, offset: audited.input.offset)
        // At-least-once delivery may have written an input's records twice: the same prediction.
        if pending.updateValue(audited, forKey: input) == nil { report.audited += 1 }
        auditedIDs.insert(audited.predictionID)
        return true
    }

    /// Takes a prediction record's value; kept only when an audit record names its prediction.
    public func addPrediction(_ value: [UInt8]) {
        guard let id = RecordEncoder.predictionID(inRecord: value), auditedIDs.contains(id) else { return }
        predictions[id] = value
    }

    /// Whether audited predictions still wait for their input record: a reader may stop when not.
    public var isAwaitingInput: Bool { !pending.isEmpty }

    /// Replays the audited prediction of the input record at `offset` of `topic`'s `partition`,
    /// if one was audited.
    public func replay(topic: String, partition: Int32, offset: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer) {
        guard let audited = pending.removeValue(forKey: InputCoordinate(topic: topic, partition: partition, offset: offset)) else { return }
        let id = audited.predictionID
        let payloadDigest = SHA256Hash(of: value)
        guard payloadDigest.description == audited.input.sha256 else {
            return report.record(.payloadChanged, predictionID: id, detail: "payload SHA-256 \(payloadDigest), audited \(audited.input.sha256)")
        }
        guard let scorer = sessions[audited.model.sha256] else {
            return report.record(
                .modelNotAtHand, predictionID: id, detail: "\(audited.model.name) \(audited.model.version) (SHA-256 \(audited.model.sha256))"
            )
        }
        do throws(EventDecoder.Failure) {
            try batcher.decodeNextRow(value, with: decoder)
        } catch {
            return report.record(.undecodable, predictionID: id, detail: "\(error)")
        }
        let topicIndex = configuration.input.topics.firstIndex(of: topic) ?? 0
        let now = ContinuousClock.now
        let row = MicroBatch.Row(
            topic: topicIndex, partition: partition, offset: offset, timestampMilliseconds: nil, consumedAt: now,
            token: DeliveryToken(rawValue: 0), payloadDigest: payloadDigest, key: key.map { batcher.store($0) }, traceparent: nil
        )
        _ = batcher.append(row, now: now)
        guard let batch = batcher.close(id: BatchID(rawValue: 0), now: now) else { return }
        defer { batcher.recycle(batch) }
        guard batch.featureDigests[0].description == audited.featuresSHA256 else {
            return report.record(.featuresChanged, predictionID: id, detail: "feature row SHA-256 \(batch.featureDigests[0]), audited \(audited.featuresSHA256)")
        }
        let outputs: [Tensor]
        do {
            outputs = try scorer.session.predict(batch)
        } catch {
            return report.record(.outputsDiffer, predictionID: id, detail: "the model failed on the row: \(error)")
        }
        compare(outputs, of: batch, with: audited, model: scorer.model)
    }

    /// Every audited prediction whose input never came counts as `input_missing`; the report.
    public func finish() -> AuditVerificationReport {
        for audited in pending.values {
            let input = audited.input
            report.record(.inputMissing, predictionID: audited.predictionID, detail: "\(input.topic)[\(input.partition)]@\(input.offset) not found")
        }
        pending.removeAll()
        return report
    }

    private func compare(_ outputs: [Tensor], of batch: MicroBatch, with audited: AuditedPrediction, model: Model) {
        let id = audited.predictionID
        let recorded = predictions.removeValue(forKey: id)
        let encoder = encoder(for: audited.model, model: model)
        if let nonFinite = encoder.nonFiniteOutput(row: 0, rows: 1, outputs: outputs) {
            // The processor dead-letters such a row instead of writing a prediction.
            guard recorded == nil else {
                return report.record(.outputsDiffer, predictionID: id, detail: "replayed \(nonFinite.message), yet a prediction was recorded")
            }
            report.identical += 1
            return
        }
        guard let recorded else { return report.record(.predictionMissing, predictionID: id, detail: "no prediction record with this id") }
        encoder.writePredictionID(row: 0, of: batch, into: &predictionID)
        encoder.encodePrediction(row: 0, of: batch, predictionID: predictionID, outputs: outputs, into: &predictionValue)
        guard predictionValue.bytes == recorded else {
            let replayed = String(decoding: predictionValue.bytes, as: UTF8.self)
            return report.record(.outputsDiffer, predictionID: id, detail: "recorded \(String(decoding: recorded, as: UTF8.self)), replayed \(replayed)")
        }
        report.identical += 1
    }

    /// An encoder writing predictions as the audited model's processor did (its name and version).
    private func encoder(for named: AuditedPrediction.Model, model: Model) -> RecordEncoder {
        if let encoder = encoders[named] { return encoder }
        let context = RecordContext(
            inputTopics: configuration.input.topics, predictionTopic: configuration.outputs.predictions, auditTopic: configuration.outputs.audit,
            model: .init(name: named.name, version: named.version, sha256: named.sha256), processorInstance: "", processorVersion: ""
        )
        let encoder = RecordEncoder(context: context, outputs: model.outputs)
        encoders[named] = encoder
        return encoder
    }
}
