/// The affine scores `X · Wᵀ + b` of a linear model (`LinearClassifier`, `LinearRegressor`), with the
/// weights packed once at load time for ``gemm(m:a:lda:b:bias:activation:output:ldc:kernel:)``.
public struct LinearScorer: Sendable {
    public let featureCount: Int
    public let outputCount: Int
    /// `outputCount × featureCount`, row-major: the coefficients of each output together.
    public let weights: [Float]
    public let intercepts: [Float]
    /// `Wᵀ`, `featureCount × outputCount`, in the GEMM's panels.
    let packed: PackedMatrix

    /// - Parameters:
    ///   - coefficients: `outputCount × featureCount`, row-major, as ONNX lists them.
    ///   - intercepts: one per output.
    public init(coefficients: [Float], intercepts: [Float]) {
        precondition(!intercepts.isEmpty && coefficients.count % intercepts.count == 0)
        outputCount = intercepts.count
        featureCount = coefficients.count / intercepts.count
        weights = coefficients
        self.intercepts = intercepts
        packed = coefficients.withUnsafeBufferPointer { [featureCount, outputCount] in
            PackedMatrix(rows: featureCount, columns: outputCount, rowStride: 1, columnStride: featureCount, $0)
        }
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

    /// Writes `rowCount × outputCount` scores through the packed GEMM.
    public func scores(rows: UnsafeBufferPointer<Float>, rowCount: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(rows.count >= rowCount * featureCount && scores.count >= rowCount * outputCount)
        guard rowCount > 0, let output = scores.baseAddress else { return }
        guard featureCount > 0, let x = rows.baseAddress else {
            for row in 0..<rowCount {
                for column in 0..<outputCount { output[row * outputCount + column] = intercepts[column] }
            }
            return
        }
        intercepts.withUnsafeBufferPointer { bias in
            gemm(m: rowCount, a: x, lda: featureCount, b: packed, bias: bias.baseAddress, activation: .none, output: output, ldc: outputCount)
        }
    }
}
