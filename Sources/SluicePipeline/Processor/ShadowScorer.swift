import SluiceKafka
import SluiceKernels
import SluiceModel

/// Scores the shadow model (``ShadowModel``) on each batch the serving model scored, sends one
/// shadow record per row with the row's ledger token, and tells the observer how the two models
/// compare. A batch the shadow model cannot score gets records carrying the error instead: the
/// shadow never stops the processor, and the ledger still receives every output it awaits. Used
/// only on the loop's thread.
final class ShadowScorer<Sink: RecordSink> {
    let shadow: ShadowModel
    private let session: ModelSession
    private let topic: Sink.Topic
    private let clock = ContinuousClock()
    private var predictionID = JSONBuffer(capacity: 64)
    private var value = JSONBuffer()
    private var headers: [KafkaHeader] = []

    init(_ shadow: ShadowModel, sink: Sink) throws {
        self.shadow = shadow
        session = shadow.model.makeSession()
        topic = try sink.topic(named: shadow.topic)
    }

    /// Scores `batch`, which the serving model scored into `served`, and sends its shadow records.
    func score(_ batch: MicroBatch, beside served: [Tensor], sender: OutputSender<Sink>, observer: (any ProcessorObserver)?) throws {
        let started = clock.now
        var outputs: [Tensor]?
        var failure = ""
        do {
            outputs = try session.predict(batch)
        } catch {
            failure = "\(error)"
        }
        let compute = clock.now - started
        let encoder = shadow.encoder
        for row in 0..<batch.count {
            let metadata = batch.rows[row]
            encoder.writePredictionID(row: row, of: batch, into: &predictionID)
            if let outputs {
                encoder.encodePrediction(row: row, of: batch, predictionID: predictionID, outputs: outputs, into: &value)
            } else {
                value.reset()
                value.append(raw: #"{"prediction_id":""#)
                value.append(raw: predictionID.bytes)
                value.append(raw: #"","error":"#)
                value.append(string: failure)
                value.append(raw: "}")
            }
            try predictionID.withBytes { id in
                try encoder.modelHeaderValue.withUnsafeBytes { model in
                    headers.removeAll(keepingCapacity: true)
                    headers.append(KafkaHeader(name: RecordHeaderName.predictionID, value: id))
                    headers.append(KafkaHeader(name: RecordHeaderName.model, value: model))
                    try value.withBytes { value in
                        guard let key = metadata.key else {
                            return try sender.send(to: topic, key: nil, value: value, headers: headers, token: metadata.token)
                        }
                        try batch.withBytes(key) { key in
                            try sender.send(to: topic, key: key, value: value, headers: headers, token: metadata.token)
                        }
                    }
                }
            }
        }
        sender.books.statistics.shadowRecords += batch.count
        observer?.processorShadowScored(ShadowComparison(served: served, shadow: outputs, rows: batch.count), compute: compute)
    }
}
