import SluiceKernels

/// `TreeEnsembleRegressor` (ml opsets 1–4; opset 3 added the `_as_tensor` double attributes).
let treeEnsembleRegressorOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "TreeEnsembleRegressor", opsets: 1...4
) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: [.float, .double])
    let operation: any CompiledOperator = input.elementType == .double
        ? try TreeEnsembleRegression<Double>(legacy: context.node, featureCount: featureCount(of: input))
        : try TreeEnsembleRegression<Float>(legacy: context.node, featureCount: featureCount(of: input))
    let targets = Int(try context.node.int("n_targets"))
    return CompiledNode(
        operation: operation,
        outputs: [ValueInfo(elementType: .float, shape: [batchDimension(of: input), .fixed(targets)])]
    )
}

/// A compiled tree-ensemble regressor: the packed trees and how their scores become outputs.
struct TreeEnsembleRegression<Scalar: FloatingPointElement>: CompiledOperator {
    let ensemble: TreeEnsemble<Scalar>
    /// The trees as read, kept for explanations (``Model/explainableStage()``).
    let definition: TreeEnsembleDefinition<Scalar>
    let finalizer: TreeRegressionFinalizer<Scalar>
    /// `TreeEnsemble` (opset 5) outputs the input's type; the older regressor always outputs float.
    let outputsInputType: Bool

    init(legacy node: OperatorNode, featureCount: Int?) throws {
        let targetCount = try node.int("n_targets")
        guard targetCount > 0 else { throw OperatorError("n_targets must be positive, not \(targetCount)") }
        let aggregateName = try node.string("aggregate_function", default: "SUM")
        guard let aggregate = TreeAggregateFunction(name: aggregateName) else {
            throw OperatorError("aggregate_function '\(aggregateName)' is not one of SUM, AVERAGE, MIN, MAX")
        }
        let attributes = try TreeEnsembleLegacyAttributes<Scalar>(
            node, votePrefix: "target", targetCount: Int(targetCount), aggregate: aggregate
        )
        guard attributes.baseValues.isEmpty || attributes.baseValues.count == targetCount else {
            throw OperatorError("base_values has \(attributes.baseValues.count) values for \(targetCount) targets; it needs 0 or \(targetCount)")
        }
        try self.init(
            definition: attributes.definition,
            baseValues: attributes.baseValues,
            postTransform: attributes.postTransform,
            featureCount: featureCount,
            outputsInputType: false
        )
    }

    init(
        definition: TreeEnsembleDefinition<Scalar>,
        baseValues: [Scalar],
        postTransform: PostTransform,
        featureCount: Int?,
        outputsInputType: Bool
    ) throws {
        self.definition = definition
        do {
            ensemble = try TreeEnsemble(definition)
        } catch {
            throw OperatorError(error.reason)
        }
        try checkFeatureCount(featureCount, required: ensemble.featureCountRequired)
        finalizer = TreeRegressionFinalizer(
            baseValues: baseValues, postTransform: postTransform, aggregate: definition.aggregate,
            treeCount: ensemble.treeCount
        )
        self.outputsInputType = outputsInputType
    }

    // Called through `any CompiledOperator`, whose witness is the generic body: these make it jump
    // to code specialised for the scalar type instead of running the tree walk generically.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let rows = try FeatureRows<Scalar>(inputs[0])
        try checkFeatureCount(rows.featureCount, required: ensemble.featureCountRequired)
        var scores = TreeScores<Scalar>(rowCount: 0, targetCount: ensemble.targetCount)
        rows.values.withUnsafeBufferPointer {
            ensemble.accumulate(rows: $0, rowCount: rows.rowCount, featureCount: rows.featureCount, into: &scores)
        }
        let shape = [rows.rowCount, ensemble.targetCount]
        if outputsInputType && Scalar.elementType == .double {
            var values = [Double](repeating: 0, count: rows.rowCount * ensemble.targetCount)
            values.withUnsafeMutableBufferPointer { finalizer.finalize(scores, into: $0) }
            outputs[0] = Tensor(shape: shape, doubles: values)
        } else {
            outputs[0].withMutableFloats(shape: shape) { values in
                values.withUnsafeMutableBufferPointer { finalizer.finalize(scores, into: $0) }
            }
        }
    }
}

/// Fails when rows have fewer features than the trees read.
func checkFeatureCount(_ featureCount: Int?, required: Int) throws {
    guard let featureCount, featureCount < required else { return }
    throw OperatorError("the trees read feature \(required - 1) but input X has \(featureCount) features")
}
