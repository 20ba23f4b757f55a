import Foundation
import SluiceKernels
import Testing
@testable import SluicePipeline

/// The stages driven together the way the processor's loop will drive them, with an in-memory
/// broker standing in for Kafka: every event ends as a prediction and an audit record or a dead
/// letter, and each partition commits exactly up to its last consumed offset.
@Suite struct StagesCompositionTests {
    struct Sent {
        var topic: String
        var value: [UInt8]
        var headers: [String: String]
        var token: DeliveryToken
    }

    @Test func everyEventEndsAsPredictionAndAuditOrDeadLetterAndAllOffsetsCommit() throws {
        let configuration = try SluiceConfiguration.parse(
            yaml: """
                features: [{path: amount}, {path: v, length: 2}, {path: risk, default: 0.5}]
                batching: {max_size: 4, max_delay_ms: 1}
                backpressure: {max_in_flight: 8, resume_at: 4}
                """
        )
        let decoder = try FeatureDecoder(spec: configuration.featureSpec)
        var batcher = MicroBatcher(
            limits: .init(maxSize: configuration.batching.maxSize, maxDelay: configuration.batching.maxDelay),
            width: decoder.width
        )
        var ledger = OffsetLedger<Int32>()
        var backpressure = Backpressure(
            high: configuration.backpressure.maxInFlight, low: configuration.backpressure.resumeAt, pauseAfter: configuration.backpressure.pauseAfter
        )
        let encoder = RecordEncoder(
            context: RecordContext(
                inputTopics: configuration.input.topics, predictionTopic: configuration.outputs.predictions,
                auditTopic: configuration.outputs.audit, model: .init(name: "sum", version: "1", sha256: String(repeating: "0", count: 64)),
                processorInstance: "test", processorVersion: "0"
            ),
            outputNames: ["sum"]
        )
        var deadLetterHeaders = DeadLetterHeaders(inputTopics: configuration.input.topics)
        for partition in Int32(0)..<3 { _ = ledger.assign(partition) }

        var random = SplitMix64(seed: 5)
        var input: [(partition: Int32, offset: Int64, payload: String)] = []
        var nextOffset: [Int64] = [0, 0, 0]
        for index in 0..<60 {
            let partition = Int32(random.next() % 3)
            let payload =
                index % 9 == 4 ? #"{"amount":"oops"}"# : index % 13 == 7 ? #"{"amount":1,"v":[1,2]"# : #"{"amount":\#(index),"v":[1,2]}"#
            input.append((partition, nextOffset[Int(partition)], payload))
            nextOffset[Int(partition)] += 1 + Int64(random.next() % 2)
        }

        var sent: [Sent] = []
        var committed: [Int32: Int64] = [:]
        var batch: BatchID?
        var holds = 0
        let clock = ContinuousClock.now
        var id = JSONBuffer()
        var prediction = JSONBuffer()
        var audit = JSONBuffer()

        func acknowledgeSome(_ count: Int) {
            for _ in 0..<min(count, sent.count) {
                let report = sent.remove(at: Int(random.next() % UInt64(sent.count)))
                #expect(ledger.acknowledge(report.token, delivered: true) == .recorded)
                delivered.append(report)
            }
            ledger.drainCommittable { committed[$0] = $1 }
            ledger.drainAcknowledgedBatches { _ in }
            if backpressure.inFlightChanged(to: ledger.inFlight, now: clock) == .stopTaking { holds += 1 }
        }
        var delivered: [Sent] = []

        func dispatch(_ closed: MicroBatch) {
            ledger.seal(closed.id)
            let sums = (0..<closed.count).map { row in closed.withRow(row) { $0.reduce(0, +) } }
            let outputs = [Tensor(shape: [closed.count], floats: sums)]
            let timing = RecordEncoder.BatchTiming(computeStartedAt: clock, compute: .microseconds(5))
            for row in 0..<closed.count {
                encoder.writePredictionID(row: row, of: closed, into: &id)
                encoder.encodePrediction(row: row, of: closed, predictionID: id, outputs: outputs, into: &prediction)
                encoder.encodeAudit(row: row, of: closed, predictionID: id, timing: timing, into: &audit)
                var headers: [String: String] = [:]
                encoder.forEachPredictionHeader(row: row, of: closed, predictionID: id) { headers[$0] = String(decoding: $1, as: UTF8.self) }
                sent.append(Sent(topic: "predictions", value: prediction.bytes, headers: headers, token: closed.rows[row].token))
                sent.append(Sent(topic: "audit", value: audit.bytes, headers: [:], token: closed.rows[row].token))
            }
            batcher.recycle(closed)
        }

        for (index, event) in input.enumerated() {
            while backpressure.isHolding { acknowledgeSome(3) }
            let now = clock + .microseconds(Int64(index) * 300)
            if batcher.isDue(now: now), let closed = batcher.close(id: batch!, now: now) {
                batch = nil
                dispatch(closed)
            }
            let currentBatch = batch ?? ledger.beginBatch()
            batch = currentBatch
            let payload = Array(event.payload.utf8)
            let slot = ledger.slot(for: event.partition)!
            var failure: FeatureDecodingError?
            payload.withUnsafeBytes { bytes in
                do throws(FeatureDecodingError) {
                    try batcher.withNextRow { row throws(FeatureDecodingError) in try decoder.decode(bytes, into: row) }
                } catch {
                    failure = error
                }
            }
            if let error = failure {
                let token = ledger.track(slot, offset: event.offset, outputs: 1, batch: currentBatch)
                var headers: [String: String] = [:]
                deadLetterHeaders.forEach(reason: DeadLetterReason(error), topic: 0, partition: event.partition, offset: event.offset) {
                    headers[$0] = String(decoding: $1, as: UTF8.self)
                }
                sent.append(Sent(topic: configuration.deadLetterTopic, value: payload, headers: headers, token: token))
            } else {
                let token = ledger.track(slot, offset: event.offset, outputs: 2, batch: currentBatch)
                let digest = payload.withUnsafeBytes { SHA256Hash(of: $0) }
                let row = MicroBatch.Row(
                    topic: 0, partition: event.partition, offset: event.offset, timestampMilliseconds: nil, consumedAt: now,
                    token: token, payloadDigest: digest, key: nil, traceparent: nil
                )
                if batcher.append(row, now: now) == .closeBatch {
                    dispatch(batcher.close(id: currentBatch, now: now)!)
                    batch = nil
                }
            }
            if backpressure.inFlightChanged(to: ledger.inFlight, now: clock) == .stopTaking { holds += 1 }
            acknowledgeSome(Int(random.next() % 3))
        }
        if let closed = batcher.close(id: batch!, now: clock + .seconds(1)) { dispatch(closed) }
        acknowledgeSome(sent.count)

        let deadLetters = delivered.filter { $0.topic == "events.dlq" }
        let predictions = delivered.filter { $0.topic == "predictions" }
        let audits = delivered.filter { $0.topic == "audit" }
        #expect(deadLetters.count + predictions.count == input.count)
        #expect(predictions.count == audits.count)
        #expect(deadLetters.count == input.filter { $0.payload.contains("oops") || !$0.payload.hasSuffix("}") }.count)
        #expect(Set(deadLetters.compactMap { $0.headers["sluice-error-class"] }) == ["wrong_type", "invalid_json"])
        let predicted = Set(predictions.compactMap { $0.headers["sluice-prediction-id"] })
        let expected = Set(input.filter { !$0.payload.contains("oops") && $0.payload.hasSuffix("}") }.map { "events-\($0.partition)-\($0.offset)" })
        #expect(predicted == expected)
        for partition in Int32(0)..<3 {
            let last = input.filter { $0.partition == partition }.map(\.offset).max()
            #expect(committed[partition] == last.map { $0 + 1 })
        }
        #expect(ledger.inFlight == 0)
        #expect(holds > 0, "the in-flight limit was reached and the stream still completed")
    }
}
