import SluiceKernels

/// `TreeEnsembleClassifier` (ml opsets 1–4; opset 3 added the `_as_tensor` double attributes).
let treeEnsembleClassifierOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "TreeEnsembleClassifier", opsets: 1...4
) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: [.float, .double])
    let labels = try ClassLabels(context.node, int64s: "classlabels_int64s", strings: "classlabels_strings")
    let operation: any CompiledOperator = input.elementType == .double
        ? try TreeEnsembleClassification<Double>(context.node, labels: labels, featureCount: featureCount(of: input))
        : try TreeEnsembleClassification<Float>(context.node, labels: labels, featureCount: featureCount(of: input))
    let batch = batchDimension(of: input)
    return CompiledNode(
        operation: operation,
        outputs: [
            ValueInfo(elementType: labels.elementType, shape: [batch]),
            ValueInfo(elementType: .float, shape: [batch, .fixed(labels.count)]),
        ]
    )
}

/// A compiled tree-ensemble classifier: the packed trees, how their scores become probabilities, and the labels.
struct TreeEnsembleClassification<Scalar: FloatingPointElement>: CompiledOperator {
    let ensemble: TreeEnsemble<Scalar>
    /// The trees as read, kept for explanations (``Model/explainableStage()``).
    let definition: TreeEnsembleDefinition<Scalar>
    let finalizer: TreeClassificationFinalizer<Scalar>
    let labels: ClassLabels

    init(_ node: OperatorNode, labels: ClassLabels, featureCount: Int?) throws {
        guard labels.count >= 2 else {
            throw OperatorError("a classifier needs at least two class labels, not \(labels.count)")
        }
        let attributes = try TreeEnsembleLegacyAttributes<Scalar>(
            node, votePrefix: "class", targetCount: labels.count, aggregate: .sum
        )
        let baseCount = attributes.baseValues.count
        guard baseCount == 0 || baseCount == labels.count || (labels.count == 2 && baseCount == 1) else {
            throw OperatorError("base_values has \(baseCount) values for \(labels.count) classes; it needs 0 or \(labels.count)")
        }
        definition = attributes.definition
        do {
            ensemble = try TreeEnsemble(attributes.definition)
        } catch {
            throw OperatorError(error.reason)
        }
        try checkFeatureCount(featureCount, required: ensemble.featureCountRequired)
        finalizer = TreeClassificationFinalizer(
            baseValues: attributes.baseValues,
            postTransform: attributes.postTransform,
            classCount: labels.count,
            isBinaryCase: labels.count == 2 && Set(attributes.voteTargets).count == 1,
            weightsAreAllPositive: attributes.voteWeights.allSatisfy { !($0 < 0) }
        )
        self.labels = labels
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
        let classCount = labels.count
        var decisions: [ClassifierDecision] = []
        decisions.reserveCapacity(rows.rowCount)
        outputs[1].withMutableFloats(shape: [rows.rowCount, classCount]) { probabilities in
            probabilities.withUnsafeMutableBufferPointer { probabilities in
            scores.values.withUnsafeMutableBufferPointer { values in
            scores.scored.withUnsafeMutableBufferPointer { scored in
                for row in 0..<rows.rowCount {
                    let range = row * classCount..<(row + 1) * classCount
                    decisions.append(finalizer.finalizeRow(
                        scores: UnsafeMutableBufferPointer(rebasing: values[range]),
                        scored: UnsafeMutableBufferPointer(rebasing: scored[range]),
                        probabilities: UnsafeMutableBufferPointer(rebasing: probabilities[range])
                    ))
                }
            }
            }
            }
        }
        labels.write(decisions, into: &outputs[0])
    }
}
