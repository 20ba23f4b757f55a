import Testing
@testable import SluicePipeline

@Suite struct FeatureDecodingErrorTests {
    let demo = try! decoder(
        .init(path: "amount"),
        .init(path: "features", length: 3),
        .init(path: "card.risk"),
        .init(path: "hour", defaultValue: 0)
    )

    func expectFailure(
        _ json: String,
        _ kind: FeatureDecodingError.Kind,
        path: String,
        offset: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = demo.failure(json)
        #expect(error?.kind == kind, "\(json)", sourceLocation: sourceLocation)
        #expect(error?.path == path, "\(json)", sourceLocation: sourceLocation)
        #expect(error?.offset == offset, "\(json)", sourceLocation: sourceLocation)
    }

    @Test func reportsMalformedJSONWithTheByteOffset() {
        expectFailure("", .invalidJSON, path: "$", offset: 0)
        expectFailure("   ", .invalidJSON, path: "$", offset: 3)
        expectFailure(#"{"amount":1,}"#, .invalidJSON, path: "$", offset: 12)
        expectFailure(#"{"amount" 1}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure(#"{"amount":1"#, .invalidJSON, path: "$", offset: 11)
        expectFailure(#"{"amount":01}"#, .invalidJSON, path: "$", offset: 11)
        expectFailure(#"{"amount":1.}"#, .invalidJSON, path: "$", offset: 12)
        expectFailure(#"{"amount":-}"#, .invalidJSON, path: "$", offset: 11)
        expectFailure(#"{"amount":1e}"#, .invalidJSON, path: "$", offset: 12)
        expectFailure(#"{"amount":+1}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure(#"{"x":"abc}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure("{\"x\":\"a\u{01}\"}", .invalidJSON, path: "$", offset: 7)
        expectFailure(#"{"x":"\q"}"#, .invalidJSON, path: "$", offset: 7)
        expectFailure(#"{"x":"\u12G4"}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure(#"{"x":tru}"#, .invalidJSON, path: "$", offset: 8)
        expectFailure(#"{"x":nul"#, .invalidJSON, path: "$", offset: 5)
        expectFailure(#""amount": 1}"#, .invalidJSON, path: "$", offset: 8)
        expectFailure(#"{"x":[1,2}"#, .invalidJSON, path: "$", offset: 9)
        expectFailure(#"{"x":{"y":1]}"#, .invalidJSON, path: "$", offset: 11)
        expectFailure(#"{x:1}"#, .invalidJSON, path: "$", offset: 1)
        expectFailure(#"{"amount":1} {}"#, .invalidJSON, path: "$", offset: 13)
        expectFailure(#"{"features":[1,2,}"#, .invalidJSON, path: "$", offset: 17)
        expectFailure(#"{"amount":NaN}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure(#"{"amount":Infinity}"#, .invalidJSON, path: "$", offset: 10)
        expectFailure(#"{"amount":-Infinity}"#, .invalidJSON, path: "$", offset: 11)
        expectFailure(#"{"amount":1,"features":[1,nan,3]}"#, .invalidJSON, path: "$", offset: 27)
        expectFailure(#"{"amount":1,"features":[1,2,-inf]}"#, .invalidJSON, path: "$", offset: 29)
    }

    @Test func reportsNumbersBeyondTheFloatRangeByPath() {
        expectFailure(#"{"amount":1e400}"#, .outOfRange, path: "amount", offset: 10)
        expectFailure(#"{"amount":-1e400}"#, .outOfRange, path: "amount", offset: 10)
        expectFailure(#"{"amount":1e39}"#, .outOfRange, path: "amount", offset: 10)
        expectFailure(#"{"amount":\#(String(repeating: "9", count: 400))}"#, .outOfRange, path: "amount", offset: 10)
        expectFailure(#"{"amount":1,"features":[1,-3.5e38,3]}"#, .outOfRange, path: "features[1]", offset: 26)
        expectFailure(#"{"amount":1,"card":{"risk":1e39}}"#, .outOfRange, path: "card.risk", offset: 27)
        // The midpoint between the largest Float and 2^128 rounds (to even) to infinity.
        expectFailure(#"{"amount":340282356779733661637539395458142568448}"#, .outOfRange, path: "amount", offset: 10)
        expectFailure(#"{"hour":1e39,"hour":1,"amount":1,"features":[1,2,3],"card":{"risk":1}}"#, .outOfRange, path: "hour", offset: 8)
        expectFailure(#"{"amount":"1","features":[1e39,2,3]}"#, .wrongType, path: "amount", offset: 10)
    }

    @Test func acceptsNumbersThatRoundToAFiniteFloatAndSkipsOthersOutsideFeatures() throws {
        let event = #"{"amount":340282356779733661637539395458142568447,"features":[1e-400,-3.40282356e38,0],"card":{"risk":1},"x":1e400}"#
        #expect(try demo.decode(event) == [.greatestFiniteMagnitude, 0, -.greatestFiniteMagnitude, 0, 1, 0])
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(demo.failure(#"{"x":\#(deep)}"#)?.kind == .invalidJSON)
        let acceptable = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(demo.failure(#"{"amount":1,"features":[1,2,3],"card":{"risk":1},"x":\#(acceptable)}"#) == nil)
    }

    @Test func reportsMissingFeaturesByPath() {
        expectFailure(#"{"features":[1,2,3],"card":{"risk":1}}"#, .missingFeature, path: "amount", offset: 37)
        expectFailure(#"{"amount":null,"features":[1,2,3],"card":{"risk":1}}"#, .missingFeature, path: "amount", offset: 51)
        expectFailure(#"{"amount":1,"features":[1,null,3],"card":{"risk":1}}"#, .missingFeature, path: "features[1]", offset: 51)
        expectFailure(#"{"amount":1,"features":[1,2,3],"card":{}}"#, .missingFeature, path: "card.risk", offset: 40)
        expectFailure(#"{"amount":1,"features":[1,2,3],"card":null}"#, .missingFeature, path: "card.risk", offset: 42)
    }

    @Test func reportsWrongTypesByPath() {
        expectFailure(#"{"amount":"12.5"}"#, .wrongType, path: "amount", offset: 10)
        expectFailure(#"{"amount":{"v":1}}"#, .wrongType, path: "amount", offset: 10)
        expectFailure(#"{"amount":1,"features":5}"#, .wrongType, path: "features", offset: 23)
        expectFailure(#"{"amount":1,"features":[1,"2",3]}"#, .wrongType, path: "features[1]", offset: 26)
        expectFailure(#"{"amount":1,"features":[1,[2],3]}"#, .wrongType, path: "features[1]", offset: 26)
        expectFailure(#"{"amount":1,"card":[1]}"#, .wrongType, path: "card", offset: 19)
        expectFailure(#"[1,2]"#, .wrongType, path: "$", offset: 0)
        expectFailure(#" 12 "#, .wrongType, path: "$", offset: 1)
    }

    @Test func reportsArraysOfTheWrongLength() {
        expectFailure(#"{"amount":1,"features":[1,2]}"#, .wrongLength, path: "features", offset: 23)
        expectFailure(#"{"amount":1,"features":[1,2,3,4]}"#, .wrongLength, path: "features", offset: 23)
        expectFailure(#"{"amount":1,"features":[]}"#, .wrongLength, path: "features", offset: 23)
    }

    @Test func namesTheClassAndAReadableMessageForTheDeadLetterHeaders() throws {
        let error = try #require(demo.failure(#"{"amount":1,"features":[1,2]}"#))
        #expect(error.errorClass == "wrong_length")
        #expect(error.message == "features: expected 3 elements, found 2 (at byte 23)")
        let invalid = try #require(demo.failure(#"{"amount":1,}"#))
        #expect(invalid.errorClass == "invalid_json")
        #expect(invalid.message == "$: expected a string key, found '}' (at byte 12)")
        let outOfRange = try #require(demo.failure(#"{"amount":-1e400}"#))
        #expect(outOfRange.errorClass == "out_of_range")
        #expect(outOfRange.message == "amount: -1e400 is beyond the range of a 32-bit float (±3.4028235e38) (at byte 10)")
        let long = try #require(demo.failure(#"{"amount":\#(String(repeating: "7", count: 400))}"#))
        #expect(long.message == "amount: \(String(repeating: "7", count: 24))… (400 bytes) is beyond the range of a 32-bit float (±3.4028235e38) (at byte 10)")
    }

    @Test func rejectsSpecsWhosePathsClash() {
        #expect(throws: FeatureSpecError(featureIndex: 1, field: "path", detail: "'a' clashes with features[0].path, which already reads 'a'")) {
            try decoder(.init(path: "a"), .init(path: "a"))
        }
        #expect(throws: FeatureSpecError.self) { try decoder(.init(path: "a"), .init(path: "a.b")) }
        #expect(throws: FeatureSpecError.self) { try decoder(.init(path: "a.b"), .init(path: "a")) }
        #expect(throws: FeatureSpecError.self) { try decoder(.init(path: "a..b")) }
        #expect(throws: FeatureSpecError(featureIndex: 0, field: "length", detail: "must be at least 1, got 0")) {
            try decoder(.init(path: "v", length: 0))
        }
    }
}
