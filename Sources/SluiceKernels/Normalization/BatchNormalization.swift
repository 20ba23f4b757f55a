/// Per-channel scale and shift folded from BatchNormalization's statistics at load time:
/// `y = x · scale[c] + shift[c]` equals `(x − mean[c]) / √(variance[c] + ε) · γ[c] + β[c]`.
public struct ChannelAffine: Sendable {
    public let scale: [Float]
    public let shift: [Float]

    public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) {
        precondition(gamma.count == beta.count && beta.count == mean.count && mean.count == variance.count)
        let scale = zip(gamma, variance).map { $0 / ($1 + epsilon).squareRoot() }
        self.scale = scale
        self.shift = (0..<scale.count).map { beta[$0] - mean[$0] * scale[$0] }
    }

    public var channels: Int { scale.count }

    /// Applies the transform to an input viewed as `[outer, channels, inner]`.
    public func apply(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, outer: Int, inner: Int) {
        let channels = self.channels
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                if inner == 1 {
                    for row in 0..<outer {
                        let x = input + row * channels, y = output + row * channels
                        for channel in 0..<channels { y[channel] = x[channel] * scale[channel] + shift[channel] }
                    }
                    return
                }
                for block in 0..<outer {
                    for channel in 0..<channels {
                        let offset = (block * channels + channel) * inner
                        let a = scale[channel], b = shift[channel]
                        for index in 0..<inner { output[offset + index] = input[offset + index] * a + b }
                    }
                }
            }
        }
    }
}

/// The scalar reference for inference-mode BatchNormalization on an input viewed as
/// `[outer, channels, inner]`, straight from the ONNX formula in `Double`.
public func batchNormalizationReference(
    _ input: [Float], outer: Int, inner: Int,
    gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float
) -> [Float] {
    let channels = gamma.count
    return input.indices.map { index in
        let channel = (index / inner) % channels
        let normalized = (Double(input[index]) - Double(mean[channel]))
            / (Double(variance[channel]) + Double(epsilon)).squareRoot()
        return Float(normalized * Double(gamma[channel]) + Double(beta[channel]))
    }
}
