import SluiceKernels

/// `LinearRegressor` (ml opset 1): `X · Wᵀ + b` per target. As in onnxruntime, a single target is
/// only transformed by `PROBIT`; several targets by any post-transform.
let linearRegressorOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "LinearRegressor", opsets: 1...5
) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: numericTypes)
    let operation = try LinearRegression(context.node, featureCount: featureCount(of: input))
    return CompiledNode(
        operation: operation,
        outputs: [ValueInfo(elementType: .float, shape: [batchDimension(of: input), .fixed(operation.scorer.outputCount)])]
    )
}

struct LinearRegression: CompiledOperator {
    let scorer: LinearScorer
    let postTransform: PostTransform

    init(_ node: OperatorNode, featureCount: Int?) throws {
        let targets = Int(try node.int("targets", default: 1))
        guard targets > 0 else { throw OperatorError("targets must be positive, not \(targets)") }
        let coefficients = try node.floats("coefficients")
        let intercepts = try node.floats("intercepts", default: [Float](repeating: 0, count: targets))
        guard intercepts.count == targets else {
            throw OperatorError("intercepts has \(intercepts.count) values for \(targets) targets")
        }
        guard !coefficients.isEmpty, coefficients.count % targets == 0 else {
            throw OperatorError("coefficients (\(coefficients.count)) must be a positive multiple of targets (\(targets))")
        }
        let transformName = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(name: transformName) else {
            throw OperatorError("post_transform '\(transformName)' is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT")
        }
        scorer = LinearScorer(coefficients: coefficients, intercepts: intercepts)
        if let featureCount, featureCount != scorer.featureCount {
            throw OperatorError("the coefficients are for \(scorer.featureCount) features but input X has \(featureCount)")
        }
        postTransform = transform
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let rows = try FeatureRows.castingToFloat(inputs[0])
        guard rows.featureCount == scorer.featureCount else {
            throw OperatorError("input X has \(rows.featureCount) features, not \(scorer.featureCount)")
        }
        let targets = scorer.outputCount
        outputs[0].withMutableFloats(shape: [rows.rowCount, targets]) { scores in
            scores.withUnsafeMutableBufferPointer { scores in
                rows.values.withUnsafeBufferPointer { scorer.scores(rows: $0, rowCount: rows.rowCount, into: scores) }
                if targets == 1 {
                    guard postTransform == .probit else { return }
                    for row in 0..<rows.rowCount { scores[row] = PostTransform.probit(scores[row]) }
                    return
                }
                postTransform.apply(toRows: UnsafeMutableBufferPointer(rebasing: scores[0..<(rows.rowCount * targets)]), width: targets)
            }
        }
    }
}
