import Crypto
import SluiceKernels
@testable import SluicePipeline

/// A two-row batch of demo-like events and an encoder for it.
struct EncodingFixture {
    let start = ContinuousClock.now
    let payloads = [#"{"amount":12.5,"card_id":"c-1"}"#, #"{"amount":99,"card_id":"c-\"2"}"#]
    var batch: MicroBatch
    let encoder = RecordEncoder(
        context: RecordContext(
            inputTopics: ["events", "more.events"],
            predictionTopic: "predictions",
            auditTopic: "audit",
            model: .init(name: "fraud", version: "1", sha256: String(repeating: "ab", count: 32)),
            processorInstance: "host-a/42",
            processorVersion: "0.1.0"
        ),
        outputNames: ["label", "probabilities"]
    )
    let outputs = [
        Tensor(shape: [2], int64s: [0, 1]),
        Tensor(shape: [2, 2], floats: [0.9, 0.1, 0.25, 0.75]),
    ]

    init() {
        var batcher = MicroBatcher(limits: .init(maxSize: 8, maxDelay: .milliseconds(2)), width: 3)
        let rows: [(topic: Int, partition: Int32, offset: Int64, key: [UInt8]?, traceparent: String?, features: [Float])] = [
            (0, 3, 1234, Array("card-1".utf8), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", [12.5, 1, -0.5]),
            (1, 0, 7, [0xFF, 0x00, 0x41], nil, [99, 0, 0.25]),
        ]
        for (index, row) in rows.enumerated() {
            batcher.withNextRow { storage in
                for (column, value) in row.features.enumerated() { storage[column] = value }
            }
            let key = row.key.map { key in key.withUnsafeBytes { batcher.store($0) } }
            let traceparent = row.traceparent.map { text in Array(text.utf8).withUnsafeBytes { batcher.store($0) } }
            let digest = Array(payloads[index].utf8).withUnsafeBytes { SHA256Hash(of: $0) }
            _ = batcher.append(
                MicroBatch.Row(
                    topic: row.topic,
                    partition: row.partition,
                    offset: row.offset,
                    timestampMilliseconds: index == 0 ? 1_732_350_000_123 : nil,
                    consumedAt: start,
                    token: DeliveryToken(rawValue: UInt64(index)),
                    payloadDigest: digest,
                    key: key,
                    traceparent: traceparent
                ),
                now: start
            )
        }
        batch = batcher.close(id: BatchID(rawValue: 17), now: start)!
    }

    var timing: RecordEncoder.BatchTiming {
        RecordEncoder.BatchTiming(computeStartedAt: start + .microseconds(812), compute: .microseconds(95))
    }

    func predictionID(_ row: Int) -> JSONBuffer {
        var id = JSONBuffer()
        encoder.writePredictionID(row: row, of: batch, into: &id)
        return id
    }

    func prediction(_ row: Int) -> String {
        var value = JSONBuffer()
        encoder.encodePrediction(row: row, of: batch, predictionID: predictionID(row), outputs: outputs, into: &value)
        return String(decoding: value.bytes, as: UTF8.self)
    }

    func audit(_ row: Int) -> String {
        var value = JSONBuffer()
        encoder.encodeAudit(row: row, of: batch, predictionID: predictionID(row), timing: timing, into: &value)
        return String(decoding: value.bytes, as: UTF8.self)
    }

    func deadLetterHeaders(_ error: FeatureDecodingError, topic: Int = 0, partition: Int32 = 2, offset: Int64 = 99) -> [String: String] {
        var headers = DeadLetterHeaders(inputTopics: ["events", "more.events"])
        var result: [String: String] = [:]
        headers.forEach(reason: DeadLetterReason(error), topic: topic, partition: partition, offset: offset) { name, value in
            result[name] = String(decoding: value, as: UTF8.self)
        }
        return result
    }
}
