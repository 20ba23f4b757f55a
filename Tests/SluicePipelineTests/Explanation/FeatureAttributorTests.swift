import Foundation
import SluiceKernels
import SluiceModel
import SluiceRandom
import Testing
@testable import SluicePipeline

/// Explanations against the models' own outputs: a linear model's attributions are exactly each
/// feature's share of the margin, a tree ensemble's sum to its raw score minus the expected value,
/// and models that cannot be explained say so.
@Suite struct FeatureAttributorTests {
    static func model(_ name: String) throws -> Model {
        try Model(contentsOf: packageRoot.appendingPathComponent("Models/\(name).onnx").path)
    }

    /// `count` rows of `width` values, roughly standard normal.
    static func rows(_ count: Int, width: Int, seed: UInt64) -> [[Float]] {
        var random = SplitMix64(seed: seed)
        return (0 ..< count).map { _ in (0 ..< width).map { _ in Float((0 ..< 4).reduce(0.0) { sum, _ in sum + random.uniform() } * 1.7 - 3.4) } }
    }

    static func names(_ width: Int) -> [String] { (0 ..< width).map { "f\($0)" } }

    /// A profile of `rows` for `model` (counting tree covers when it is a tree ensemble).
    static func profile(of rows: [[Float]], for model: Model) throws -> ReferenceProfile {
        let width = rows[0].count
        var covers: TreeCovers?
        if case .trees(let definition, _) = try model.explainableStage() {
            covers = TreeCovers(for: definition)
            covers?.count(rows.flatMap { $0 }, rowCount: rows.count, featureCount: width, through: definition)
        }
        let identity = model.identity
        return ReferenceProfile(
            model: .init(name: identity.name, version: identity.version, sha256: identity.sha256), rows: rows.count,
            features: (0 ..< width).map { column in ColumnProfile(name: "f\(column)", values: rows.map { $0[column] }) }, outputs: [],
            treeCovers: covers
        )
    }

    /// The model's output `output` for `row`, column `column`.
    static func output(_ model: Model, _ row: [Float], output: Int, column: Int) throws -> Double {
        let outputs = try model.makeSession().predict(features: row, rows: 1)
        return Double(try #require(outputs[output].floats)[column])
    }

    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    @Test func aLogisticModelsAttributionsAreEachFeaturesExactShareOfTheMargin() throws {
        let model = try Self.model("logistic-binary")
        let reference = Self.rows(200, width: 10, seed: 1)
        let profile = try Self.profile(of: reference, for: model)
        let attributor = try FeatureAttributor(model: model, profile: profile, featureNames: Self.names(10))
        let baseline = profile.features.map { $0.mean! }
        // The probability of the positive class is the logistic of the one margin explained.
        func margin(_ row: [Float]) throws -> Double { Self.logit(try Self.output(model, row, output: 1, column: 1)) }
        for row in Self.rows(10, width: 10, seed: 2) {
            let explanation = row.withUnsafeBufferPointer { attributor.explain($0) }
            let whole = try margin(row)
            let sign = explanation.target == 0 && attributor.targetCount == 2 ? -1.0 : 1.0
            #expect(abs(explanation.expectedValue + explanation.attributions.reduce(0, +) - sign * whole) < 1e-3)
            for feature in 0 ..< 10 {
                var moved = row
                moved[feature] = Float(baseline[feature])
                let share = sign * (whole - (try margin(moved)))
                #expect(abs(explanation.attributions[feature] - share) < 1e-3, "feature \(feature)")
            }
        }
    }

    @Test func withoutAProfileALinearModelIsExplainedFromZero() throws {
        let model = try Self.model("linear-regression")
        let attributor = try FeatureAttributor(model: model, profile: nil, featureNames: Self.names(8))
        let zero = [Float](repeating: 0, count: 8)
        let explanation = zero.withUnsafeBufferPointer { attributor.explain($0) }
        #expect(explanation.attributions == [Double](repeating: 0, count: 8))
        #expect(abs(explanation.expectedValue - (try Self.output(model, zero, output: 0, column: 0))) < 1e-4)
    }

    /// Regressors (their output is the raw score) and a binary classifier (the logit of its probability).
    @Test(arguments: [
        ("random-forest-regressor", false), ("hist-gradient-boosting-regressor", false), ("xgboost-regressor", false),
        ("lightgbm-regressor", false), ("xgboost-binary", true), ("hist-gradient-boosting-classifier", true),
    ])
    func treeAttributionsSumToTheRawScoreMinusTheExpectedValue(_ name: String, _ isBinaryClassifier: Bool) throws {
        let model = try Self.model(name)
        let attributor = try FeatureAttributor(
            model: model, profile: try Self.profile(of: Self.rows(300, width: 8, seed: 3), for: model), featureNames: Self.names(8)
        )
        var rows = Self.rows(10, width: 8, seed: 4)
        rows[0][2] = .nan
        for row in rows {
            let explanation = row.withUnsafeBufferPointer { attributor.explain($0) }
            let score = isBinaryClassifier
                ? Self.logit(try Self.output(model, row, output: 1, column: 1)) : try Self.output(model, row, output: 0, column: 0)
            let total = explanation.expectedValue + explanation.attributions.reduce(0, +)
            #expect(abs(total - score) < 1e-3 * max(1, abs(score)), "\(row)")
        }
    }

    @Test func aRandomForestClassifierExplainsThePredictedClasssVoteShare() throws {
        let model = try Self.model("random-forest-classifier")
        let attributor = try FeatureAttributor(
            model: model, profile: try Self.profile(of: Self.rows(300, width: 8, seed: 5), for: model), featureNames: Self.names(8)
        )
        for row in Self.rows(10, width: 8, seed: 6) {
            let explanation = row.withUnsafeBufferPointer { attributor.explain($0) }
            let probabilities = try #require(try model.makeSession().predict(features: row, rows: 1)[1].floats)
            #expect(explanation.target == probabilities.indices.max { probabilities[$0] < probabilities[$1] })
            let total = explanation.expectedValue + explanation.attributions.reduce(0, +)
            #expect(abs(total - Double(probabilities[explanation.target])) < 1e-4)
        }
    }

    @Test func aTreeEnsembleWithoutCoversForThisModelIsRefused() throws {
        let model = try Self.model("xgboost-regressor")
        #expect(throws: ExplanationError.self) { try FeatureAttributor(model: model, profile: nil, featureNames: Self.names(8)) }
        var other = try Self.profile(of: Self.rows(50, width: 8, seed: 7), for: model)
        other.model.sha256 = String(repeating: "0", count: 64)
        #expect(throws: ExplanationError.self) { try FeatureAttributor(model: model, profile: other, featureNames: Self.names(8)) }
    }

    @Test(arguments: ["mlp-classifier", "pipeline-classifier", "torch-mlp"])
    func modelsWithoutATreeOrLinearStageOnTheirInputAreNotExplainable(_ name: String) throws {
        let model = try Self.model(name)
        let error = #expect(throws: ExplanationError.self) { try FeatureAttributor(model: model, profile: nil, featureNames: []) }
        #expect(error?.description.contains("not available") == true)
    }

    @Test func theTopAttributionsAreTheLargestInMagnitudeLargestFirst() {
        #expect(AuditExplanations.largest(3, of: [0.1, -2, 0.5, 2, -0.3]) == [1, 3, 2])
        #expect(AuditExplanations.largest(9, of: [1, -1]) == [0, 1])
    }
}
