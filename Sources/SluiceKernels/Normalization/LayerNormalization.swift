/// Layer normalization of `rows` rows of `width` floats:
/// `y = (x − mean) / √(variance + ε) · scale + bias`, with the statistics of each row.
///
/// `scale` and `bias` hold `width` values (or one, broadcast); `bias` may be `nil`. The mean and
/// reciprocal standard deviation of each row are written when `mean`/`inverseStandardDeviation` are given.
public func layerNormalization(
    _ input: UnsafePointer<Float>,
    _ output: UnsafeMutablePointer<Float>,
    rows: Int,
    width: Int,
    scale: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>?,
    epsilon: Float,
    mean: UnsafeMutablePointer<Float>? = nil,
    inverseStandardDeviation: UnsafeMutablePointer<Float>? = nil
) {
    let scaleStride = scale.count == 1 ? 0 : 1
    let biasStride = bias?.count == 1 ? 0 : 1
    for row in 0..<rows {
        let x = input + row * width, y = output + row * width
        let average = laneSum(x, width) { $0 } / Float(width)
        let squares = laneSum(x, width) { ($0 - average) * ($0 - average) }
        let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
        if scaleStride == 1, let scale = scale.baseAddress, bias == nil || biasStride == 1 {
            // The common case, a scale and bias per column: eight columns at a time.
            let shift = bias?.baseAddress
            var index = 0
            while index + 8 <= width {
                var value = (load(x + index) - average) * inverse * load(scale + index)
                if let shift { value += load(shift + index) }
                UnsafeMutableRawPointer(y + index).storeBytes(of: value, as: SIMD8<Float>.self)
                index += 8
            }
            while index < width {
                y[index] = (x[index] - average) * inverse * scale[index] + (shift?[index] ?? 0)
                index += 1
            }
        } else if let bias {
            for index in 0..<width {
                y[index] = (x[index] - average) * inverse * scale[index * scaleStride] + bias[index * biasStride]
            }
        } else {
            for index in 0..<width { y[index] = (x[index] - average) * inverse * scale[index * scaleStride] }
        }
        mean?[row] = average
        inverseStandardDeviation?[row] = inverse
    }
}

/// `Σ f(x[i])` over `count` floats, summed in eight lanes (then across them), which vectorises
/// where a single running sum would not.
@inline(__always)
private func laneSum(_ x: UnsafePointer<Float>, _ count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Float {
    var lanes = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
        lanes += f(load(x + index))
        index += 8
    }
    var sum = lanes.sum()
    while index < count {
        sum += f(SIMD8<Float>(repeating: x[index]))[0]
        index += 1
    }
    return sum
}

@inline(__always)
private func load(_ x: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(x).loadUnaligned(as: SIMD8<Float>.self)
}

/// The scalar reference for ``layerNormalization(_:_:rows:width:scale:bias:epsilon:mean:inverseStandardDeviation:)``,
/// in `Double`.
public func layerNormalizationReference(
    _ input: [Float], rows: Int, width: Int, scale: [Float], bias: [Float]?, epsilon: Float
) -> [Float] {
    var output = [Float](repeating: 0, count: input.count)
    for row in 0..<rows {
        let values = (0..<width).map { Double(input[row * width + $0]) }
        let mean = values.reduce(0, +) / Double(width)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
        for index in 0..<width {
            let normalized = (values[index] - mean) / (variance + Double(epsilon)).squareRoot()
            let gamma = Double(scale[scale.count == 1 ? 0 : index])
            let beta = Double(bias.map { $0[$0.count == 1 ? 0 : index] } ?? 0)
            output[row * width + index] = Float(normalized * gamma + beta)
        }
    }
    return output
}
