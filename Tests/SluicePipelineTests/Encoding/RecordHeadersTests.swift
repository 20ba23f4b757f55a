import SluiceKafka
import Testing
@testable import SluicePipeline

@Suite struct RecordHeadersTests {
    func isReserved(_ name: String) -> Bool {
        Array(name.utf8).withUnsafeBytes { RecordHeaderName.isReserved($0) }
    }

    @Test func reservesEveryNameStartingWithSluiceDashInAnyASCIICase() {
        for name in ["sluice-", "sluice-error-class", "SLUICE-ERROR-CLASS", "Sluice-Model", "sLuIcE-x"] {
            #expect(isReserved(name), "\(name)")
        }
        for name in ["", "sluice", "sluice_error", "sluicex", "xsluice-", " sluice-", "sluice\r", "original-sluice-model", "traceparent"] {
            #expect(!isReserved(name), "\(name)")
        }
    }

    /// What the processor does for a prediction: Sluice's headers, then the input's traceparent.
    @Test func predictionHeadersPutSluicesFirstAndRenameAnyInputHeaderThatUsesItsNames() {
        var headers = RecordHeaders()
        for _ in 0..<2 {
            headers.removeAll()
            Array("p-1".utf8).withUnsafeBytes { headers.appendOwn(RecordHeaderName.predictionID, $0) }
            Array("fraud:1".utf8).withUnsafeBytes { headers.appendOwn(RecordHeaderName.model, $0) }
            headers.appendInput([("traceparent", Array("00-ab-cd-01".utf8)), ("Sluice-Model", Array("forged".utf8)), ("n", nil)])
        }
        #expect(headers.count == 5 && headers.inputCount == 3)
        #expect((0..<5).map { headers[$0].name } == ["sluice-prediction-id", "sluice-model", "traceparent", "original-Sluice-Model", "n"])
        #expect(headers[1].value == Array("fraud:1".utf8) && headers[3].value == Array("forged".utf8) && headers[4].value == nil)
    }

    @Test func lendsEmptyAndNullValuesAsTheyCame() {
        var headers = RecordHeaders()
        let input: [(name: String, value: [UInt8]?)] = [("empty", []), ("null", nil)]
        headers.appendInput(input)
        let lent = headers.withKafkaHeaders { $0.map { ($0.name, $0.value?.count) } }
        #expect(lent.map(\.0) == ["empty", "null"])
        #expect(lent.map(\.1) == [0, nil])
    }

    @Test func countsTheSerializedSizeAsLibrdkafkaDoes() {
        #expect(KafkaRecordSize.varintSize(0) == 1 && KafkaRecordSize.varintSize(63) == 1 && KafkaRecordSize.varintSize(64) == 2)
        #expect(KafkaRecordSize.varintSize(8_191) == 2 && KafkaRecordSize.varintSize(8_192) == 3)
        var headers = RecordHeaders()
        let input: [(name: String, value: [UInt8]?)] = [("abcde", Array(repeating: 0, count: 100)), ("n", nil)]
        headers.appendInput(input)
        #expect(headers.serializedBytes == (1 + 5 + 2 + 100) + (1 + 1 + 1 + 0))
        #expect(KafkaRecordSize.bytes(key: 3, value: 10, headers: headers.serializedBytes) == 61 + 36 + 3 + 10 + 111)
    }

    /// librdkafka refuses a message locally when its count exceeds `message.max.bytes`: a record
    /// counted at exactly the limit (less the batch header) is taken, one byte more is refused.
    @Test func agreesWithLibrdkafkasOwnSizeCheck() throws {
        let limit = 4_000
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:9")
        configuration.properties = ["message.max.bytes": String(limit - KafkaRecordSize.batchOverhead)]
        let producer = try KafkaProducer(configuration: configuration, logger: silentLogger)
        let topic = try producer.topic(named: "events.dlq")
        var builder = DeadLetterBuilder(inputTopics: ["events"], maxMessageBytes: limit)
        let payload = [UInt8](repeating: 7, count: 10_000)
        let input: [(name: String, value: [UInt8]?)] = [("traceparent", Array("00-ab".utf8)), ("null", nil), ("sluice-x", [])]
        let reason = DeadLetterReason(.decoding(.invalidJSON), message: "$: x")
        var sizes: (counted: Int, reductions: DeadLetter.Reductions)?
        var outcome: KafkaSendOutcome?
        var refusal: KafkaError?
        try payload.withUnsafeBytes { payload in
            try Array("card".utf8).withUnsafeBytes { key in
                try builder.withDeadLetter(key: key, value: payload, headers: input, reason: reason, topic: 0, partition: 0, offset: 1) { letter in
                    sizes = (letter.size, letter.reductions)
                    outcome = try producer.send(to: topic, key: letter.key, value: letter.value, headers: letter.headers, token: 1)
                    let oneMore = UnsafeRawBufferPointer(rebasing: payload.prefix(letter.value.count + 1))
                    do {
                        _ = try producer.send(to: topic, key: letter.key, value: oneMore, headers: letter.headers, token: 2)
                    } catch {
                        refusal = error as? KafkaError
                    }
                }
            }
        }
        #expect(sizes?.counted == limit && sizes?.reductions == [.payloadTruncated])
        #expect(outcome == .enqueued)
        #expect(refusal?.code == .messageTooLarge)
    }
}
