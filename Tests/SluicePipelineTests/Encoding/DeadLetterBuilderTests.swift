import Testing
@testable import SluicePipeline

@Suite struct DeadLetterBuilderTests {
    var builder = DeadLetterBuilder(inputTopics: ["events", "more.events"], maxMessageBytes: 2_000)

    @Test mutating func keepsTheWholeRecordBehindSluicesHeadersWhenItFits() {
        let letter = builder.letter(
            key: bytes("card-1"), value: bytes(#"{"amount":"12"}"#),
            headers: [("traceparent", bytes("00-abc-def-01")), ("empty", []), ("null", nil)], topic: 1
        )
        #expect(letter.names == sourceHeaderNames + ["traceparent", "empty", "null"])
        #expect(letter.header(RecordHeaderName.errorClass) == "wrong_type")
        #expect(letter.header(RecordHeaderName.errorMessage) == "amount: expected a number, found a string (at byte 10)")
        #expect(letter.header(RecordHeaderName.sourceTopic) == "more.events")
        #expect(letter.header(RecordHeaderName.sourcePartition) == "2")
        #expect(letter.header(RecordHeaderName.sourceOffset) == "99")
        #expect(letter.headers[6].value == [] && letter.headers[7].value == nil, "empty and null values stay apart")
        #expect(letter.key == bytes("card-1") && letter.value == bytes(#"{"amount":"12"}"#))
        #expect(letter.reductions.isEmpty)
        #expect(letter.size == letter.countedSize)
    }

    @Test mutating func renamesInputHeadersThatUseSluicesNamesSoTheFirstIsAlwaysSluices() {
        let letter = builder.letter(
            value: bytes("{"),
            headers: [("sluice-error-class", bytes("spoofed")), ("SLUICE-Source-Offset", bytes("0")), ("sluice-new", nil), ("sluicex", bytes("x"))]
        )
        #expect(letter.names == sourceHeaderNames + ["original-sluice-error-class", "original-SLUICE-Source-Offset", "original-sluice-new", "sluicex"])
        #expect(letter.header(RecordHeaderName.errorClass) == "wrong_type")
        #expect(letter.header("original-sluice-error-class") == "spoofed")
        #expect(letter.header("original-sluice-new") == nil && letter.headers[7].value == nil)
    }

    @Test mutating func cutsAnOversizePayloadToWhatFitsAndDescribesTheWhole() {
        let payload = (0..<900_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let letter = builder.letter(key: bytes("card-1"), value: payload, headers: [("traceparent", bytes("00-abc"))])
        #expect(letter.reductions == [.payloadTruncated])
        #expect(letter.names == sourceHeaderNames + payloadHeaderNames + ["traceparent"])
        #expect(letter.header(RecordHeaderName.payloadSHA256) == payload.withUnsafeBytes { SHA256Hash(of: $0).description })
        #expect(letter.header(RecordHeaderName.payloadBytes) == "900000")
        #expect(letter.header(RecordHeaderName.payloadTruncated) == "true")
        #expect(letter.key == bytes("card-1"))
        #expect(letter.value.count > 1_000 && letter.value == Array(payload.prefix(letter.value.count)))
        #expect(letter.size == 2_000 && letter.countedSize == 2_000, "the payload fills exactly what is left")
    }

    @Test mutating func dropsTheInputHeadersWhenEvenAnEmptyPayloadWouldNotFitAndKeepsThePayloadIfItThenFits() {
        let letter = builder.letter(key: bytes("k"), value: bytes("{}"), headers: [("big", Array(repeating: 1, count: 3_000)), ("small", [])])
        #expect(letter.reductions == [.inputHeadersDropped])
        #expect(letter.names == sourceHeaderNames + [RecordHeaderName.inputHeadersDropped])
        #expect(letter.header(RecordHeaderName.inputHeadersDropped) == "2")
        #expect(letter.key == bytes("k") && letter.value == bytes("{}"))
    }

    @Test mutating func dropsTheKeyLast() {
        let payload = Array(repeating: UInt8(ascii: "x"), count: 5_000)
        let letter = builder.letter(key: Array(repeating: 2, count: 3_000), value: payload, headers: [("big", Array(repeating: 1, count: 3_000))])
        #expect(letter.reductions == [.payloadTruncated, .inputHeadersDropped, .keyDropped])
        #expect(letter.names == sourceHeaderNames + payloadHeaderNames + [RecordHeaderName.inputHeadersDropped, RecordHeaderName.keyDropped])
        #expect(letter.header(RecordHeaderName.keyDropped) == "true")
        #expect(letter.key == nil && letter.size == 2_000)
        let keyOnly = builder.letter(key: Array(repeating: 2, count: 3_000), value: bytes("{}"))
        #expect(keyOnly.reductions == [.keyDropped], "without input headers there is nothing to drop before the key")
        #expect(keyOnly.value == bytes("{}"))
    }

    @Test func cutsTheErrorMessageLastAtACharacterBoundary() throws {
        let longestTopic = String(repeating: "t", count: 249)
        var smallest = DeadLetterBuilder(inputTopics: [longestTopic], maxMessageBytes: DeadLetterBuilder.minimumMaxMessageBytes)
        let reason = DeadLetterReason(.outputRejected, message: "predictions: " + String(repeating: "é", count: 3_000))
        let letter = smallest.letter(key: bytes("k"), value: Array(repeating: 0, count: 5_000), headers: [("h", [])], reason: reason)
        #expect(letter.reductions == [.payloadTruncated, .inputHeadersDropped, .keyDropped, .messageTruncated])
        let message = try #require(letter.headers[1].value)
        #expect(String(validating: message, as: UTF8.self)?.hasSuffix("é…") == true)
        #expect(message.count > 200)
        #expect(letter.size <= 1_000 && letter.size == letter.countedSize)
    }

    @Test mutating func aLetterAfterAShortenedOneIsWholeAgain() {
        _ = builder.letter(key: bytes("k"), value: Array(repeating: 0, count: 5_000), headers: [("h", Array(repeating: 1, count: 3_000))])
        let letter = builder.letter(key: bytes("k"), value: bytes("{"), headers: [("h", [])])
        #expect(letter.reductions.isEmpty)
        #expect(letter.names == sourceHeaderNames + ["h"])
    }

    /// Random keys, headers, payloads and limits: every letter fits, starts with Sluice's headers,
    /// and gives up only what it must, in the documented order.
    @Test func everyLetterFitsAndGivesUpNoMoreThanItMust() {
        var random = SplitMix64(seed: 23)
        func size(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        for _ in 0..<500 {
            let limit = 1_000 + size(5_000)
            var builder = DeadLetterBuilder(inputTopics: ["events"], maxMessageBytes: limit)
            let key: [UInt8]? = size(4) == 0 ? nil : Array(repeating: 1, count: size(3_000))
            let headers = (0..<size(4)).map { index in (name: size(3) == 0 ? "sluice-h\(index)" : "h\(index)", value: size(5) == 0 ? nil : Optional(Array(repeating: UInt8(2), count: size(1_500)))) }
            let payload = Array(repeating: UInt8(3), count: size(6_000))
            let letter = builder.letter(key: key, value: payload, headers: headers)
            let shortened = "limit \(limit), key \(key?.count ?? -1), headers \(headers.map { $0.value?.count ?? -1 }), payload \(payload.count): \(letter.reductions)"
            #expect(letter.size <= limit && letter.size == letter.countedSize, "\(shortened)")
            #expect(Array(letter.names.prefix(5)) == sourceHeaderNames)
            #expect(!letter.names.dropFirst(5).contains { $0.hasPrefix("sluice-") && !$0.hasPrefix("sluice-payload-") && !$0.hasSuffix("-dropped") })
            let reductions = letter.reductions
            #expect(reductions.contains(.payloadTruncated) == (letter.value.count < payload.count), "\(shortened)")
            let keptInputHeaders = letter.names.filter { !$0.hasPrefix("sluice-") }.count
            #expect(reductions.contains(.inputHeadersDropped) == (keptInputHeaders < headers.count), "\(shortened)")
            #expect(reductions.contains(.keyDropped) == (key != nil && letter.key == nil), "\(shortened)")
            #expect(letter.value == Array(payload.prefix(letter.value.count)))
            if reductions.contains(.payloadTruncated) && !reductions.contains(.messageTruncated) {
                #expect(letter.size == limit, "a cut payload fills what is left: \(shortened)")
            }
            if reductions.contains(.inputHeadersDropped) {
                var withHeaders = DeadLetterBuilder(inputTopics: ["events"], maxMessageBytes: 1_000_000)
                let empty = withHeaders.letter(key: key, value: [], headers: headers)
                let payloadHeaders = KafkaRecordSize.header(nameBytes: 21, valueBytes: 64) + KafkaRecordSize.header(nameBytes: 20, valueBytes: "\(payload.count)".utf8.count)
                    + KafkaRecordSize.header(nameBytes: 24, valueBytes: 4)
                #expect(empty.size + payloadHeaders > limit, "headers dropped only when they left no room: \(shortened)")
            }
        }
    }
}
