import Foundation
import SluiceKernels
import SluicePipeline

/// Encoding throughput for the demo's events: per event a prediction and an audit record,
/// including the SHA-256 of the payload and of the feature row, against Foundation's
/// JSONSerialization writing the same two records from dictionaries.
func benchmarkEncoding(events: DemoEvents, decoder: FeatureDecoder) throws {
    let batchSize = 256
    let encoder = RecordEncoder(
        context: RecordContext(
            inputTopics: ["events"],
            predictionTopic: "predictions",
            auditTopic: "audit",
            model: .init(name: "fraud", version: "1", sha256: String(repeating: "5e", count: 32)),
            processorInstance: "bench-host/1",
            processorVersion: "0.1.0"
        ),
        outputNames: ["fraud_probability"]
    )
    var batcher = MicroBatcher(limits: .init(maxSize: batchSize, maxDelay: .milliseconds(2)), width: decoder.width)
    let now = ContinuousClock.now
    var batches: [MicroBatch] = []
    try events.bytes.withUnsafeBytes { bytes in
        for (index, range) in events.ranges.enumerated() {
            let payload = UnsafeRawBufferPointer(rebasing: bytes[range])
            try batcher.withNextRow { try decoder.decode(payload, into: $0) }
            let key = Array("card-\(index % 1000)".utf8).withUnsafeBytes { batcher.store($0) }
            let row = MicroBatch.Row(
                topic: 0, partition: Int32(index % 8), offset: Int64(index), timestampMilliseconds: 1_732_350_000_000 + Int64(index),
                consumedAt: now, token: DeliveryToken(rawValue: UInt64(index)), payloadDigest: SHA256Hash(of: payload), key: key, traceparent: nil
            )
            if batcher.append(row, now: now) == .closeBatch {
                batches.append(batcher.close(id: BatchID(rawValue: UInt64(batches.count)), now: now)!)
            }
        }
    }
    let outputs = [Tensor(shape: [batchSize, 1], floats: (0..<batchSize).map { Float($0) / 997 })]
    let timing = RecordEncoder.BatchTiming(computeStartedAt: now + .microseconds(300), compute: .microseconds(80))
    let eventCount = batches.count * batchSize

    var id = JSONBuffer(capacity: 64)
    var prediction = JSONBuffer()
    var audit = JSONBuffer()
    var written = 0
    let sluice = measure(events: eventCount, rounds: 11) {
        for index in batches.indices {
            batches[index].hashFeatures()  // as closing the batch does
            let batch = batches[index]
            for row in 0..<batch.count {
                encoder.writePredictionID(row: row, of: batch, into: &id)
                encoder.encodePrediction(row: row, of: batch, predictionID: id, outputs: outputs, into: &prediction)
                encoder.encodeAudit(row: row, of: batch, predictionID: id, timing: timing, into: &audit)
                written &+= prediction.count &+ audit.count
            }
        }
    }
    let hashingOneByOne = events.bytes.withUnsafeBytes { bytes in
        measure(events: events.ranges.count, rounds: 11) {
            for range in events.ranges {
                written &+= Int(truncatingIfNeeded: SHA256Hash(of: UnsafeRawBufferPointer(rebasing: bytes[range])).words.0 & 1)
            }
        }
    }
    // Two at a time, as the processor hashes payloads.
    let hashing = events.bytes.withUnsafeBytes { bytes in
        measure(events: events.ranges.count / 2 * 2, rounds: 11) {
            for index in stride(from: 0, to: events.ranges.count - 1, by: 2) {
                let (first, second) = SHA256Hash.pair(
                    UnsafeRawBufferPointer(rebasing: bytes[events.ranges[index]]), UnsafeRawBufferPointer(rebasing: bytes[events.ranges[index + 1]])
                )
                written &+= Int(truncatingIfNeeded: (first.words.0 ^ second.words.0) & 1)
            }
        }
    }
    let foundationEvents = withReference ? 2_000 : 0
    let foundation = try measure(events: foundationEvents, rounds: 5) {
        for index in 0..<foundationEvents {
            let batch = batches[index / batchSize]
            let row = index % batchSize
            let metadata = batch.rows[row]
            let predictionID = "events-\(metadata.partition)-\(metadata.offset)"
            let predictionRecord: [String: Any] = [
                "prediction_id": predictionID, "model": ["name": "fraud", "version": "1"], "outputs": ["fraud_probability": outputs[0].floats![row]],
            ]
            let auditRecord: [String: Any] = [
                "prediction_id": predictionID,
                "input": ["topic": "events", "partition": metadata.partition, "offset": metadata.offset, "timestamp": metadata.timestampMilliseconds!,
                          "key": "card", "sha256": metadata.payloadDigest.description],
                "model": ["name": "fraud", "version": "1", "sha256": String(repeating: "5e", count: 32)],
                "features_sha256": batch.withRow(row) { SHA256Hash(ofRow: $0) }.description,
                "batch": ["id": batch.id.rawValue, "size": batch.count, "queue_wait_us": 300, "compute_us": 80],
                "processor": ["instance": "bench-host/1", "version": "0.1.0"], "output": ["topic": "predictions"],
            ]
            written &+= try JSONSerialization.data(withJSONObject: predictionRecord).count
            written &+= try JSONSerialization.data(withJSONObject: auditRecord).count
        }
    }
    let perEvent = 1 / (1 / sluice + 1 / hashing)
    print(
        "encode  prediction+audit incl. feature-row SHA-256, \(audit.count + prediction.count) B/event: \(format(sluice)) events/s"
            + "  (JSONSerialization \(format(foundation)) events/s, ×\(String(format: "%.1f", sluice / foundation)))"
    )
    print("hash    payload SHA-256, \(events.averageSize) B/event: \(format(hashing)) events/s in pairs (one at a time \(format(hashingOneByOne)))")
    print("encode  all per-event output work (both records, both hashes): \(format(perEvent)) events/s, \(String(format: "%.2f", 1e6 / perEvent)) µs/event")
    if written == 42 { print("") }
}
