import SluiceKernels

/// `LinearClassifier` (ml opset 1): `X · Wᵀ + b` per class, the top class as label, and scores after
/// the post-transform, as onnxruntime computes them. One coefficient row (which needs two labels) is a
/// binary classifier: the sign of the score picks the second or first label, and the score `s` (after
/// the logistic, if that is the post-transform) becomes `[1 − s, s]`; probit replaces the score in place.
/// onnxruntime ignores `multi_class`, and so does Sluice.
let linearClassifierOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "LinearClassifier", opsets: 1...5
) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: numericTypes)
    let operation = try LinearClassification(context.node, featureCount: featureCount(of: input))
    let batch = batchDimension(of: input)
    return CompiledNode(
        operation: operation,
        outputs: [
            ValueInfo(elementType: operation.labels.elementType, shape: [batch]),
            ValueInfo(elementType: .float, shape: [batch, .fixed(operation.scoreColumns)]),
        ]
    )
}

struct LinearClassification: CompiledOperator {
    let scorer: LinearScorer
    let labels: ClassLabels
    let postTransform: PostTransform
    /// One coefficient row and two labels: the score is expanded to two columns.
    let addsSecondClass: Bool

    var scoreColumns: Int { addsSecondClass ? 2 : scorer.outputCount }

    init(_ node: OperatorNode, featureCount: Int?) throws {
        let coefficients = try node.floats("coefficients")
        let intercepts = try node.floats("intercepts", default: [])
        labels = try ClassLabels(node, int64s: "classlabels_ints", strings: "classlabels_strings")
        guard !intercepts.isEmpty, coefficients.count % intercepts.count == 0, !coefficients.isEmpty else {
            throw OperatorError("coefficients (\(coefficients.count)) must be a positive multiple of the \(intercepts.count) intercepts")
        }
        let transformName = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(name: transformName) else {
            throw OperatorError("post_transform '\(transformName)' is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT")
        }
        scorer = LinearScorer(coefficients: coefficients, intercepts: intercepts)
        if let featureCount, featureCount != scorer.featureCount {
            throw OperatorError("the coefficients are for \(scorer.featureCount) features but input X has \(featureCount)")
        }
        if intercepts.count == 1 ? labels.count != 2 : labels.count != intercepts.count {
            throw OperatorError("there are \(intercepts.count) coefficient rows but \(labels.count) class labels")
        }
        postTransform = transform
        addsSecondClass = intercepts.count == 1 && labels.count == 2
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let rows = try FeatureRows.castingToFloat(inputs[0])
        guard rows.featureCount == scorer.featureCount else {
            throw OperatorError("input X has \(rows.featureCount) features, not \(scorer.featureCount)")
        }
        let classCount = scorer.outputCount
        var decisions: [ClassifierDecision] = []
        decisions.reserveCapacity(rows.rowCount)
        outputs[1].withMutableFloats(shape: [rows.rowCount, scoreColumns]) { scores in
            scores.withUnsafeMutableBufferPointer { scores in
                rows.values.withUnsafeBufferPointer { x in
                    scorer.scores(rows: x, rowCount: rows.rowCount, into: scores)
                }
                if classCount == 1 {
                    for row in 0..<rows.rowCount { decisions.append(.classIndex(scores[row] > 0 ? 1 : 0)) }
                    expandBinary(scores, rowCount: rows.rowCount)
                    return
                }
                for row in 0..<rows.rowCount {
                    let start = row * classCount
                    var best = 0
                    for index in 1..<classCount where scores[start + index] > scores[start + best] { best = index }
                    decisions.append(.classIndex(best))
                }
                postTransform.apply(toRows: UnsafeMutableBufferPointer(rebasing: scores[0..<(rows.rowCount * classCount)]), width: classCount)
            }
        }
        labels.write(decisions, into: &outputs[0])
    }

    /// One score per row, in the first `rowCount` slots: onnxruntime transforms it in place with probit,
    /// or else expands it (after the logistic, if asked) to `[1 − s, s]`; the softmaxes do not apply to it.
    private func expandBinary(_ scores: UnsafeMutableBufferPointer<Float>, rowCount: Int) {
        if postTransform == .probit {
            for row in 0..<rowCount { scores[row] = PostTransform.probit(scores[row]) }
            return
        }
        for row in stride(from: rowCount - 1, through: 0, by: -1) {
            let score = postTransform == .logistic ? PostTransform.logistic(scores[row]) : scores[row]
            scores[2 * row] = 1 - score
            scores[2 * row + 1] = score
        }
    }
}
