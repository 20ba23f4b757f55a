/// Turns aggregated tree scores into a tree-ensemble classifier's probabilities and decisions, as
/// onnxruntime's `TreeEnsembleClassifier` does.
///
/// With more than two classes, base values are added, the decision is the highest score among the
/// classes some tree voted for, and unvoted classes are written as zero before the post-transform.
/// Two classes follow onnxruntime's binary rules: when every weight is for one class (the usual
/// export of a binary model) that single score becomes two columns (`[1 − p, p]` for non-negative
/// weights, `[−s, s]` or their logistics otherwise) and decides against 0.5 or 0.
public struct TreeClassificationFinalizer<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var baseValues: [Scalar]
    public var postTransform: PostTransform
    public var classCount: Int
    /// Two classes and every weight for the same class.
    public var isBinaryCase: Bool
    public var weightsAreAllPositive: Bool

    public init(
        baseValues: [Scalar],
        postTransform: PostTransform,
        classCount: Int,
        isBinaryCase: Bool,
        weightsAreAllPositive: Bool
    ) {
        self.baseValues = baseValues
        self.postTransform = postTransform
        self.classCount = classCount
        self.isBinaryCase = isBinaryCase
        self.weightsAreAllPositive = weightsAreAllPositive
    }

    /// Writes one row of `classCount` probabilities and returns the row's decision.
    /// - Parameters:
    ///   - scores: the row's aggregated scores, used as scratch.
    ///   - scored: the row's voted-for flags, used as scratch.
    public func finalizeRow(
        scores: UnsafeMutableBufferPointer<Scalar>,
        scored: UnsafeMutableBufferPointer<Bool>,
        probabilities: UnsafeMutableBufferPointer<Float>
    ) -> ClassifierDecision {
        if classCount > 2 {
            for (index, base) in baseValues.enumerated() {
                if scored[index] {
                    scores[index] += base
                } else {
                    scored[index] = true
                    scores[index] = base
                }
            }
            var best = -1
            for index in 0..<classCount where scored[index] && (best == -1 || scores[index] > scores[best]) {
                best = index
            }
            for index in 0..<classCount { probabilities[index] = scored[index] ? Float(scores[index]) : 0 }
            postTransform.apply(to: probabilities)
            return .classIndex(max(best, 0))
        }
        return finalizeTwoClasses(scores: scores, scored: scored, probabilities: probabilities)
    }

    private func finalizeTwoClasses(
        scores: UnsafeMutableBufferPointer<Scalar>,
        scored: UnsafeMutableBufferPointer<Bool>,
        probabilities: UnsafeMutableBufferPointer<Float>
    ) -> ClassifierDecision {
        var keepsSecondScore = true
        var secondColumn = SecondColumn.none
        switch baseValues.count {
        case 2:
            if scored[1] {
                // onnxruntime takes class 0's score here, assuming both base values are equal.
                scores[1] = baseValues[1] + scores[0]
                scores[0] = -scores[1]
            } else {
                scores[1] += baseValues[1]
                scores[0] += baseValues[0]
            }
        case 1:
            scores[0] += baseValues[0]
            keepsSecondScore = scored[1]
        case 0:
            secondColumn = .negated
            keepsSecondScore = scored[1]
        default:
            break
        }
        let positiveWeight: Scalar =
            keepsSecondScore && scored[1] ? scores[1] : (scored[0] ? scores[0] : 0)
        let decision: ClassifierDecision
        if isBinaryCase {
            if weightsAreAllPositive {
                secondColumn = .complement
                decision = .classIndex(positiveWeight > 0.5 ? 1 : 0)
            } else {
                secondColumn = .negated
                decision = .classIndex(positiveWeight > 0 ? 1 : 0)
            }
        } else {
            decision = positiveWeight > 0 ? .positive : .negative
        }
        if keepsSecondScore {
            probabilities[0] = scored[0] ? Float(scores[0]) : 0
            probabilities[1] = scored[1] ? Float(scores[1]) : 0
            postTransform.apply(to: probabilities)
            return decision
        }
        let score = scored[0] ? Float(scores[0]) : 0
        if postTransform == .probit {
            probabilities[0] = PostTransform.probit(score)
            probabilities[1] = 0
            return decision
        }
        switch secondColumn {
        case .complement:
            probabilities[0] = 1 - score
            probabilities[1] = score
        case .negated where postTransform == .logistic:
            probabilities[0] = PostTransform.logistic(-score)
            probabilities[1] = PostTransform.logistic(score)
        case .negated:
            probabilities[0] = -score
            probabilities[1] = score
        case .none:
            probabilities[0] = score
            probabilities[1] = 0
        }
        return decision
    }

    /// How a binary classifier's single score becomes two columns.
    private enum SecondColumn {
        case none
        case complement
        case negated
    }
}
