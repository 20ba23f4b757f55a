/// Turns aggregated tree scores into the outputs of a tree-ensemble regressor, as onnxruntime's
/// `TreeEnsembleRegressor` and `TreeEnsemble` do, including their quirks:
///
/// - with one target, only `PROBIT` transforms the score (the other post-transforms are ignored),
///   and a single base value is added whether or not a tree voted;
/// - with several targets, base values are added only when there is one per target, and a target
///   no tree voted for is written as zero (before the post-transform).
public struct TreeRegressionFinalizer<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var baseValues: [Scalar]
    public var postTransform: PostTransform
    public var aggregate: TreeAggregateFunction
    public var treeCount: Int

    public init(baseValues: [Scalar], postTransform: PostTransform, aggregate: TreeAggregateFunction, treeCount: Int) {
        self.baseValues = baseValues
        self.postTransform = postTransform
        self.aggregate = aggregate
        self.treeCount = treeCount
    }

    /// Writes `scores.rowCount × scores.targetCount` outputs.
    public func finalize<Output: BinaryFloatingPoint>(_ scores: TreeScores<Scalar>, into output: UnsafeMutableBufferPointer<Output>) {
        let targetCount = scores.targetCount
        precondition(output.count >= scores.rowCount * targetCount)
        if targetCount == 1 {
            let origin = baseValues.count == 1 ? baseValues[0] : 0
            for row in 0..<scores.rowCount {
                let score = scores.values[row]
                let value: Scalar = switch aggregate {
                case .sum: score + origin
                case .average: score / Scalar(treeCount) + origin
                case .minimum, .maximum: scores.scored[row] ? score + origin : origin
                }
                output[row] = postTransform == .probit ? Output(PostTransform.probit(Float(value))) : Output(value)
            }
            return
        }
        let useBase = baseValues.count == targetCount
        var transformed = [Float](repeating: 0, count: targetCount)
        for row in 0..<scores.rowCount {
            let offset = row * targetCount
            for target in 0..<targetCount {
                let base = useBase ? baseValues[target] : 0
                let score = scores.values[offset + target]
                let scored = scores.scored[offset + target]
                let value: Scalar = switch aggregate {
                case .sum: score + base
                case .average: score / Scalar(treeCount) + base
                case .minimum, .maximum: base + (scored ? score : 0)
                }
                if postTransform == .none {
                    output[offset + target] = scored ? Output(value) : 0
                } else {
                    transformed[target] = scored ? Float(value) : 0
                }
            }
            if postTransform != .none {
                transformed.withUnsafeMutableBufferPointer { postTransform.apply(to: $0) }
                for target in 0..<targetCount { output[offset + target] = Output(transformed[target]) }
            }
        }
    }
}
