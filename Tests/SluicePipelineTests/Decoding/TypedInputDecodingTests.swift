import SluiceKernels
import Testing
@testable import SluicePipeline

/// Events decoded into several named model inputs of different element types.
@Suite struct TypedInputDecodingTests {
    /// A model's inputs as a ColumnTransformer exports them: numbers, and categories as strings.
    let decoder = try! FeatureDecoder(inputs: [
        InputSpec(name: "numeric", features: FeatureSpec([.init(path: "amount"), .init(path: "card.age", defaultValue: 30)])),
        InputSpec(name: "country", elementType: .string, features: FeatureSpec([.init(path: "country", defaultString: "unknown")])),
        InputSpec(name: "channel", elementType: .string, features: FeatureSpec([.init(path: "channel")])),
        InputSpec(name: "count", elementType: .int64, features: FeatureSpec([.init(path: "count")])),
        InputSpec(name: "flags", elementType: .bool, rowShape: [2], features: FeatureSpec([.init(path: "flags", length: 2)])),
    ])

    private func decode(_ events: [String]) throws -> [Tensor] {
        var rows = InputRows(layout: decoder.layout, capacity: events.count)
        for (index, event) in events.enumerated() {
            try Array(event.utf8).withUnsafeBytes { payload in
                try rows.withRow(index) { (writer) throws(FeatureDecodingError) in try decoder.decode(payload, into: writer) }
            }
        }
        return rows.tensors(rows: 0..<events.count)
    }

    @Test func eachInputBecomesOneTensorOfItsTypeAndStringsStayStrings() throws {
        let tensors = try decode([
            #"{"amount":12.5,"card":{"age":4},"country":"FR","channel":"web","count":3,"flags":[true,false]}"#,
            #"{"channel":"st\u00f6re","amount":-1,"count":-9007199254740993,"flags":[0,1],"country":null}"#,
        ])
        #expect(tensors.map(\.shape) == [[2, 2], [2, 1], [2, 1], [2, 1], [2, 2]])
        #expect(tensors[0].floats == [12.5, 4, -1, 30])
        #expect(tensors[1].strings == ["FR", "unknown"])
        #expect(tensors[2].strings == ["web", "störe"])
        #expect(tensors[3].int64s == [3, -9_007_199_254_740_993])
        #expect(tensors[4].bools == [true, false, false, true])
    }

    @Test func int64InputsReadEveryIntegerOfTheirRangeExactlyAndRefuseTheRest() throws {
        let tensors = try decode([
            #"{"amount":1,"channel":"a","count":9223372036854775807,"flags":[1,0]}"#,
            #"{"amount":1,"channel":"a","count":-9223372036854775808,"flags":[1,0]}"#,
            #"{"amount":1,"channel":"a","count":1234567890123456789,"flags":[1,0]}"#,
        ])
        #expect(tensors[3].int64s == [.max, .min, 1_234_567_890_123_456_789])
        for count in ["9223372036854775808", "-9223372036854775809", "12345678901234567890123"] {
            #expect(throws: FeatureDecodingError.self, "\(count)") {
                do { _ = try decode([#"{"amount":1,"channel":"a","count":\#(count),"flags":[1,0]}"#]) } catch let error as FeatureDecodingError {
                    #expect(error.kind == .outOfRange && error.path == "count", "\(count): \(error)")
                    throw error
                }
            }
        }
    }

    @Test func aNumberOrBooleanInAStringInputIsItsJSONText() throws {
        let tensors = try decode([#"{"amount":1,"country":44,"channel":true,"count":0,"flags":[1,1]}"#])
        #expect(tensors[1].strings == ["44"])
        #expect(tensors[2].strings == ["true"])
    }

    @Test func valuesAnInputsTypeCannotHoldAreWrongTypes() {
        let cases = [
            (#"{"amount":1,"channel":"a","count":2.5,"flags":[1,0]}"#, FeatureDecodingError.Kind.wrongType, "count"),
            (#"{"amount":1,"channel":"a","count":"2","flags":[1,0]}"#, .wrongType, "count"),
            (#"{"amount":1,"channel":["a"],"count":2,"flags":[1,0]}"#, .wrongType, "channel"),
            (#"{"amount":1,"channel":"a","count":2,"flags":[2,0]}"#, .wrongType, "flags[0]"),
            (#"{"amount":1,"channel":"a","count":99999999999999999999,"flags":[1,0]}"#, .outOfRange, "count"),
            (#"{"amount":1,"count":2,"flags":[1,0]}"#, .missingFeature, "channel"),
        ]
        for (event, kind, path) in cases {
            #expect(throws: FeatureDecodingError.self, "\(event)") {
                do { _ = try decode([event]) } catch let error as FeatureDecodingError {
                    #expect(error.kind == kind, "\(event): \(error)")
                    #expect(error.path == path, "\(event): \(error)")
                    throw error
                }
            }
        }
    }

    @Test func aFloatOnlyLayoutDecodesAsTheSingleFloatRowDoes() throws {
        let spec = FeatureSpec([.init(path: "a"), .init(path: "b", length: 2)])
        let typed = try FeatureDecoder(inputs: [InputSpec(name: "x", features: spec)])
        let single = try FeatureDecoder(spec: spec)
        #expect(typed.layout.isFloatOnly && typed.width == 3)
        var row = [Float](repeating: 0, count: 3)
        try Array(#"{"b":[1,2],"a":0.5}"#.utf8).withUnsafeBytes { payload in
            try row.withUnsafeMutableBufferPointer { try single.decode(payload, into: $0) }
        }
        #expect(row == [0.5, 1, 2])
    }

    @Test func aRowShapeThatDoesNotHoldTheFeaturesIsRefused() {
        #expect(throws: FeatureSpecError.self) {
            try FeatureDecoder(inputs: [InputSpec(name: "x", rowShape: [3], features: FeatureSpec([.init(path: "a")]))])
        }
        #expect(throws: FeatureSpecError.self) {
            try FeatureDecoder(inputs: [InputSpec(name: "x", elementType: .string, features: FeatureSpec([.init(path: "a", defaultValue: 1)]))])
        }
    }

    @Test func aBatchOfTypedRowsHashesEachRowsValues() throws {
        var batcher = MicroBatcher(limits: .init(maxSize: 4, maxDelay: .milliseconds(1)), layout: decoder.layout)
        let now = ContinuousClock.now
        for event in [#"{"amount":1,"channel":"a","count":2,"flags":[1,0]}"#, #"{"amount":1,"channel":"b","count":2,"flags":[1,0]}"#] {
            try Array(event.utf8).withUnsafeBytes { try batcher.decodeNextRow($0, with: decoder) }
            _ = batcher.append(
                MicroBatch.Row(topic: 0, partition: 0, offset: 0, timestampMilliseconds: nil, consumedAt: now, token: DeliveryToken(rawValue: 0),
                               payloadDigest: SHA256Hash(words: (0, 0, 0, 0)), key: nil, traceparent: nil),
                now: now
            )
        }
        let closed = batcher.close(id: BatchID(rawValue: 1), now: now)
        let batch = try #require(closed)
        #expect(batch.featureDigests.count == 2)
        #expect(batch.featureDigests[0] != batch.featureDigests[1])
        #expect(batch.inputs.tensors(rows: 0..<2)[2].strings == ["a", "b"])
    }
}
