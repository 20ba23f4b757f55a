import Foundation
import Testing
@testable import SluicePipeline

/// The `FuzzFeatureDecoder` target's seed corpus (Fuzz/Corpus/FeatureDecoder), run through the
/// decoder as `make test` builds it: every payload returns (a crash or hang fails the suite) with a
/// documented outcome, and the named cases with the outcome their name says.
@Suite struct FeatureDecoderCorpusTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repository.appendingPathComponent("Fuzz/Corpus/FeatureDecoder")

    /// The fuzz target's spec: the demo's features and a nested path with a default.
    let decoder = try! FeatureDecoder(
        spec: FeatureSpec([
            .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
            .init(path: "hour"), .init(path: "account_age_days"), .init(path: "card.risk.score", defaultValue: -1),
        ])
    )

    /// The outcome a case's file name promises; cases not listed may decode or fail (out-of-range
    /// numbers, say, whose treatment is a documented choice that may change, or a too-deep value
    /// where a number is expected, which is a `wrong_type` before it is an `invalid_json`).
    static let expected: [String: FeatureDecodingError.Kind?] = [
        "duplicate-key-wrong-type.json": .wrongType, "amount-string.json": .wrongType,
        "features-not-array.json": .wrongType, "top-level-array.json": .wrongType, "top-level-number.json": .wrongType,
        "card-not-object.json": .wrongType, "features-too-short.json": .wrongLength, "features-too-long.json": .wrongLength,
        "amount-missing.json": .missingFeature, "features-with-nulls.json": .missingFeature,
        "duplicate-keys-last-wins.json": nil, "duplicate-parent-object.json": nil,
    ]

    static let invalidJSONPrefixes = [
        "truncated-", "nan-", "infinity-", "leading-zero", "trailing-comma", "comment", "deep-nesting-1", "control-character",
        "bad-escape", "empty", "whitespace-only", "two-values", "byte-order-mark",
    ]

    static func cases() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    /// The dead-letter header schema's error classes and message pattern (Topics/schemas).
    static let deadLetterSchema: (classes: Set<String>, messagePattern: String) = {
        let url = repository.appendingPathComponent("Topics/schemas/dead-letter.schema.json")
        let schema = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let properties = schema["properties"] as! [String: [String: Any]]
        return (Set(properties["sluice-error-class"]!["enum"] as! [String]), properties["sluice-error-message"]!["pattern"] as! String)
    }()

    func outcome(of payload: [UInt8]) -> Result<[Float], FeatureDecodingError> {
        Result { () throws(FeatureDecodingError) in try decoder.decode(payload) }
    }

    @Test func theCorpusHoldsTheHostileCasesIssue23Lists() throws {
        let names = try Self.cases()
        for prefix in ["random-bytes", "truncated-", "deep-nesting", "out-of-range-1e400", "nan-literal", "invalid-utf8", "duplicate-key"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "no case \(prefix)*")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: try cases())
    func everyCaseDecodesToAFilledRowOrADocumentedDeadLetter(name: String) throws {
        let payload = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
        switch outcome(of: payload) {
        case .success(let row):
            #expect(row.filter(\.isNaN).isEmpty, "a column no value or default filled")
        case .failure(let error):
            #expect(Self.deadLetterSchema.classes.contains(error.errorClass), "class \(error.errorClass) not in the schema")
            #expect(error.message.wholeMatch(of: try Regex(Self.deadLetterSchema.messagePattern)) != nil, "message \(error.message)")
            #expect((0...payload.count).contains(error.offset))
            let features = decoder.spec.features.map(\.path)
            #expect(error.path == "$" || features.contains { error.path.hasPrefix($0) || $0.hasPrefix(error.path + ".") }, "path \(error.path)")
        }
    }

    @Test(arguments: try cases())
    func namedCasesHaveTheOutcomeTheirNameSays(name: String) throws {
        let payload = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
        let kind: FeatureDecodingError.Kind?? =
            name.hasPrefix("valid-") ? .some(nil)
            : Self.invalidJSONPrefixes.contains(where: name.hasPrefix) ? .invalidJSON
            : Self.expected[name]
        guard let kind else { return }
        switch outcome(of: payload) {
        case .success: #expect(kind == nil, "decoded, expected \(kind!.rawValue)")
        case .failure(let error): #expect(error.kind == kind, "\(error)")
        }
    }
}
