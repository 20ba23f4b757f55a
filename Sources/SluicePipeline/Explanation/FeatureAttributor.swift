import SluiceKernels
import SluiceModel

/// Attributes a model's raw score for one row to the row's features (``ExplainableStage``): exact
/// TreeSHAP for a tree ensemble, `coefficient × (value − baseline)` for a linear model. Either way
/// a row's attributions sum to its raw score minus the expected value.
///
/// With several targets (a multi-class model) the explained target is the one with the highest
/// raw score among those the model scores (a binary tree classifier's trees vote for one target
/// only): the predicted class.
public struct FeatureAttributor: Sendable {
    enum Method: Sendable {
        /// The explainer, each target's base value (added to the trees' score by the model), and
        /// the targets some leaf votes for.
        case trees(TreeExplainer, baseValues: [Double], scored: [Int])
        /// Weights `targets × features`, each target's expected score at the baseline, and the baseline.
        case linear(weights: [Float], expected: [Double], baseline: [Double])
    }

    let method: Method
    /// The names of the row's columns, as the audit record names them.
    public let featureNames: [String]
    /// How many targets (classes, regression targets) the stage scores.
    public var targetCount: Int {
        switch method {
        case .trees(let explainer, _, _): explainer.definition.targetCount
        case .linear(_, let expected, _): expected.count
        }
    }
    /// `"tree_shap"` or `"linear"`: how the attributions are computed, as the audit record says.
    public var methodName: String {
        switch method {
        case .trees: "tree_shap"
        case .linear: "linear"
        }
    }

    /// One row's explanation: the explained target, its expected value, and per feature its attribution.
    public struct Explanation: Sendable {
        public var target: Int
        public var expectedValue: Double
        public var attributions: [Double]
    }

    /// The attributor of `model`'s predictions.
    ///
    /// A tree ensemble needs `profile` to have been made by `sluice profile` with this very model
    /// (same SHA-256), which records how many reference rows reached each node; a linear model
    /// measures from the profile's feature means, or from zero without a profile.
    ///
    /// - Throws: ``ExplanationError`` saying why the model cannot be explained so.
    public init(model: SluiceModel.Model, profile: ReferenceProfile?, featureNames: [String]) throws(ExplanationError) {
        let stage: ExplainableStage
        do {
            stage = try model.explainableStage()
        } catch {
            throw ExplanationError("audit.explain is not available for model \(model.identity.name): \(error.description)")
        }
        guard let width = model.featureCount, width == featureNames.count else {
            throw ExplanationError(
                "audit.explain names each attribution by its feature: it needs `features` as a list filling the model's single input row "
                    + "(\(featureNames.count) columns for an input of \(model.featureCount.map(String.init) ?? "unfixed") values)"
            )
        }
        self.featureNames = featureNames
        switch stage {
        case .trees(let definition, let baseValues):
            guard let profile, profile.model.sha256 == model.identity.sha256, let covers = profile.treeCovers else {
                throw ExplanationError(
                    "audit.explain needs, for the tree ensemble \(model.identity.name), a profile written by `sluice profile` with this model file "
                        + "(audit.explain.profile or monitoring.profile): it records how many reference rows reach each tree node"
                )
            }
            do {
                let explainer = try TreeExplainer(definition: definition, branchCovers: covers.branches, leafCovers: covers.leaves)
                let scored = Set(definition.leaves.flatMap { $0.votes.map(\.target) }).sorted()
                method = .trees(explainer, baseValues: baseValues, scored: scored)
            } catch {
                throw ExplanationError("audit.explain cannot explain \(model.identity.name): \(error.reason)")
            }
        case .linear(let weights, let intercepts):
            let featureCount = weights.count / intercepts.count
            let baseline = (0 ..< featureCount).map { profile?.features[$0].mean ?? 0 }
            let expected = intercepts.indices.map { target in
                (0 ..< featureCount).reduce(Double(intercepts[target])) { $0 + Double(weights[target * featureCount + $1]) * baseline[$1] }
            }
            method = .linear(weights: weights, expected: expected, baseline: baseline)
        }
    }

    /// The explanation of `row` (one value per feature column).
    public func explain(_ row: UnsafeBufferPointer<Float>) -> Explanation {
        switch method {
        case .trees(let explainer, let baseValues, let scored):
            let perTarget = explainer.attributions(of: Array(row), featureCount: row.count)
            let expected = explainer.expectedValues.indices.map { explainer.expectedValues[$0] + baseValues[$0] }
            let target = scored[Self.highest(scored.map { expected[$0] + perTarget[$0].reduce(0, +) })]
            return Explanation(target: target, expectedValue: expected[target], attributions: perTarget[target])
        case .linear(let weights, let expected, let baseline):
            let featureCount = baseline.count
            let perTarget = expected.indices.map { target in
                (0 ..< featureCount).map { Double(weights[target * featureCount + $0]) * (Double(row[$0]) - baseline[$0]) }
            }
            let target = Self.highest(expected.indices.map { expected[$0] + perTarget[$0].reduce(0, +) })
            return Explanation(target: target, expectedValue: expected[target], attributions: perTarget[target])
        }
    }

    private static func highest(_ scores: [Double]) -> Int {
        scores.indices.max { scores[$0] < scores[$1] } ?? 0
    }
}

/// A model that `audit.explain` cannot explain, or a profile it cannot use, and why.
public struct ExplanationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
