import Foundation
import SluiceKernelsAVX2

/// Softmax or log-softmax over the middle dimension of an input viewed as `[outer, axis, inner]`.
///
/// Subtracting each slice's maximum first keeps `exp` from overflowing. Rows of a contiguous last
/// axis (`inner == 1`, the case of every classifier head) run through ``VectorMath/exp(_:)``; rows
/// shorter than a vector are exponentiated all together, as one buffer.
public func softmax(
    _ input: UnsafePointer<Float>,
    _ output: UnsafeMutablePointer<Float>,
    outer: Int,
    axis: Int,
    inner: Int,
    logarithmic: Bool
) {
    guard axis > 0 else { return }
    if inner == 1 && axis < 8 && !logarithmic {
        softmaxShortRows(input, output, rows: outer, width: axis)
        return
    }
    if inner == 1 {
        for row in 0..<outer {
            softmaxRow(input + row * axis, output + row * axis, axis, logarithmic)
        }
        return
    }
    for block in 0..<outer {
        for column in 0..<inner {
            let base = block * axis * inner + column
            var maximum = -Float.infinity
            for index in 0..<axis { maximum = max(maximum, input[base + index * inner]) }
            var sum: Float = 0
            for index in 0..<axis { sum += Foundation.exp(input[base + index * inner] - maximum) }
            for index in 0..<axis {
                let shifted = input[base + index * inner] - maximum
                output[base + index * inner] = logarithmic ? shifted - Foundation.log(sum) : Foundation.exp(shifted) / sum
            }
        }
    }
}

/// Softmax of `rows` contiguous rows narrower than a vector (a classifier's few classes): each row
/// shifted by its maximum, then one vectorised `exp` over the whole buffer, then each row scaled
/// by its sum. `x` and `y` may be the same buffer.
private func softmaxShortRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    for row in 0..<rows {
        let start = row * width
        var maximum = -Float.infinity
        for index in start..<(start + width) { maximum = max(maximum, x[index]) }
        for index in start..<(start + width) { y[index] = x[index] - maximum }
    }
    exponentiate(UnsafePointer(y), y, count: rows * width)
    for row in 0..<rows {
        let start = row * width
        var sum: Float = 0
        for index in start..<(start + width) { sum += y[index] }
        let scale = 1 / sum
        for index in start..<(start + width) { y[index] *= scale }
    }
}

/// `y[i] = eˣⁱ` for `count` floats, in the AVX2 variant where the CPU has it.
private func exponentiate(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    if KernelVariant.fastest == .avx2 {
        exponentialAVX2(x, y, count: count)
        return
    }
    let source = UnsafeRawPointer(x), destination = UnsafeMutableRawPointer(y)
    var index = 0
    while index + 8 <= count {
        let e = VectorMath.exp(source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self))
        destination.storeBytes(of: e, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        y[index] = VectorMath.exp(SIMD8<Float>(repeating: x[index]))[0]
        index += 1
    }
}

@inline(__always)
private func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ logarithmic: Bool) {
    var maximum = -Float.infinity
    for index in 0..<n { maximum = max(maximum, x[index]) }
    let source = UnsafeRawPointer(x), destination = UnsafeMutableRawPointer(y)
    let shift = SIMD8<Float>(repeating: maximum)
    var sums = SIMD8<Float>()
    var index = 0
    while index + 8 <= n {
        let e = VectorMath.exp(source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self) - shift)
        sums += e
        if !logarithmic { destination.storeBytes(of: e, toByteOffset: index * 4, as: SIMD8<Float>.self) }
        index += 8
    }
    if index < n {
        var tail = SIMD8<Float>(repeating: -Float.infinity)
        for lane in 0..<(n - index) { tail[lane] = x[index + lane] }
        let e = VectorMath.exp(tail - shift)
        for lane in 0..<(n - index) {
            sums[lane] += e[lane]
            if !logarithmic { y[index + lane] = e[lane] }
        }
    }
    let sum = sums.sum()
    if logarithmic {
        let offset = maximum + Foundation.log(sum)
        for index in 0..<n { y[index] = x[index] - offset }
    } else {
        let scale = 1 / sum
        for index in 0..<n { y[index] *= scale }
    }
}

/// The scalar reference for ``softmax(_:_:outer:axis:inner:logarithmic:)``, in `Double` through libm.
public func softmaxReference(
    _ input: [Float], outer: Int, axis: Int, inner: Int, logarithmic: Bool
) -> [Float] {
    var output = [Float](repeating: 0, count: input.count)
    for block in 0..<outer {
        for column in 0..<inner {
            let indices = (0..<axis).map { block * axis * inner + $0 * inner + column }
            let maximum = indices.map { Double(input[$0]) }.max() ?? 0
            let sum = indices.reduce(0.0) { $0 + Foundation.exp(Double(input[$1]) - maximum) }
            for index in indices {
                let shifted = Double(input[index]) - maximum
                output[index] = Float(logarithmic ? shifted - Foundation.log(sum) : Foundation.exp(shifted) / sum)
            }
        }
    }
    return output
}
