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
