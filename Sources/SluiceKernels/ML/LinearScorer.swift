/// The affine scores `X · Wᵀ + b` of a linear model (`LinearClassifier`, `LinearRegressor`), with the
/// weights laid out once at load time, one contiguous row per output.
public struct LinearScorer: Sendable {
    public let featureCount: Int
    public let outputCount: Int
    /// `outputCount × featureCount`, row-major: the coefficients of each output together.
    @usableFromInline let weights: [Float]
    @usableFromInline let intercepts: [Float]

    /// - Parameters:
    ///   - coefficients: `outputCount × featureCount`, row-major, as ONNX lists them.
    ///   - intercepts: one per output.
    public init(coefficients: [Float], intercepts: [Float]) {
        precondition(!intercepts.isEmpty && coefficients.count % intercepts.count == 0)
        outputCount = intercepts.count
        featureCount = coefficients.count / intercepts.count
        weights = coefficients
        self.intercepts = intercepts
    }

    /// The plain scalar reference: one multiply-add at a time, in feature order.
    public func referenceScores(rows: [Float], rowCount: Int) -> [Float] {
        var scores = [Float](repeating: 0, count: rowCount * outputCount)
        for row in 0..<rowCount {
            for output in 0..<outputCount {
                var sum: Float = 0
                for feature in 0..<featureCount {
                    sum += rows[row * featureCount + feature] * weights[output * featureCount + feature]
                }
                scores[row * outputCount + output] = sum + intercepts[output]
            }
        }
        return scores
    }

    /// Writes `rowCount × outputCount` scores, eight features at a time in SIMD lanes.
    public func scores(rows: UnsafeBufferPointer<Float>, rowCount: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(rows.count >= rowCount * featureCount && scores.count >= rowCount * outputCount)
        let lanes = 8
        let vectorEnd = featureCount - featureCount % lanes
        weights.withUnsafeBufferPointer { weights in
            for row in 0..<rowCount {
                let x = rows.baseAddress! + row * featureCount
                for output in 0..<outputCount {
                    let w = weights.baseAddress! + output * featureCount
                    var accumulator = SIMD8<Float>()
                    var feature = 0
                    while feature < vectorEnd {
                        let xs = UnsafeRawPointer(x + feature).loadUnaligned(as: SIMD8<Float>.self)
                        let ws = UnsafeRawPointer(w + feature).loadUnaligned(as: SIMD8<Float>.self)
                        // A separate multiply and add: `addProduct` becomes a libm call per lane on CPUs built without FMA.
                        accumulator += xs * ws
                        feature += lanes
                    }
                    var sum = accumulator.sum()
                    while feature < featureCount {
                        sum += x[feature] * w[feature]
                        feature += 1
                    }
                    scores[row * outputCount + output] = sum + intercepts[output]
                }
            }
        }
    }
}
