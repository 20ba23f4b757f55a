import SluiceKernels

/// The part of a model whose score can be attributed to the model's input features: a tree
/// ensemble or a linear model that reads the model's single float input directly (no
/// preprocessing in between), so that each attribution belongs to one input column.
///
/// The explained score is the stage's raw score, before its post-transform: the margin (log-odds)
/// of a boosted or logistic classifier, the vote share of a random forest, the prediction of a
/// regressor.
public enum ExplainableStage: Sendable {
    /// A tree ensemble (`TreeEnsembleClassifier`, `TreeEnsembleRegressor`, `TreeEnsemble`) and the
    /// base value the node adds to each target's score (`baseValues[target]`, or 0 where it has none).
    case trees(TreeEnsembleDefinition<Float>, baseValues: [Double])
    /// A linear model (`LinearClassifier`, `LinearRegressor`): `weights` is `targets × features`,
    /// row-major, one intercept per target.
    case linear(weights: [Float], intercepts: [Float])
}

/// Why a model has no ``ExplainableStage``.
public struct NotExplainable: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension Model {
    /// The tree ensemble or linear model reading this model's input directly, if there is one.
    ///
    /// - Throws: ``NotExplainable`` saying why there is none: several inputs, a non-float input,
    ///   preprocessing before the scoring stage, or no tree or linear stage at all (a neural network).
    public func explainableStage() throws(NotExplainable) -> ExplainableStage {
        guard inputs.count == 1, inputs[0].info.elementType == .float, let inputSlot = plan.inputSlots.first else {
            throw NotExplainable(description: "explanations need a model with a single float input")
        }
        var readsOtherValues = false
        for step in plan.steps {
            let stage = Self.stage(of: step.operation)
            guard let stage else { continue }
            guard plan.stepSlots[step.inputs.lowerBound] == inputSlot else {
                readsOtherValues = true
                continue
            }
            return stage
        }
        throw NotExplainable(
            description: readsOtherValues
                ? "the model's tree ensemble or linear stage reads preprocessed values, not its input features, so its attributions name no input column"
                : "explanations are available for tree ensembles and linear models only; this model has neither"
        )
    }

    private static func stage(of operation: any CompiledOperator) -> ExplainableStage? {
        switch operation {
        case let trees as TreeEnsembleClassification<Float>:
            .trees(trees.definition, baseValues: targetBases(trees.finalizer.baseValues.map(Double.init), targets: trees.definition.targetCount))
        case let trees as TreeEnsembleRegression<Float>:
            .trees(trees.definition, baseValues: targetBases(trees.finalizer.baseValues.map(Double.init), targets: trees.definition.targetCount))
        case let linear as LinearClassification:
            .linear(weights: linear.scorer.weights, intercepts: linear.scorer.intercepts)
        case let linear as LinearRegression:
            .linear(weights: linear.scorer.weights, intercepts: linear.scorer.intercepts)
        default:
            nil
        }
    }

    /// One base value per target: the node's own when it has one per target; a single one is the
    /// first target's (a binary classifier's one score); otherwise none.
    private static func targetBases(_ values: [Double], targets: Int) -> [Double] {
        if values.count == targets { return values }
        var bases = [Double](repeating: 0, count: targets)
        if values.count == 1 { bases[0] = values[0] }
        return bases
    }
}
