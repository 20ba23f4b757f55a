import Foundation

/// The reductions of ONNX's `Reduce*` operators.
public enum Reduction: Sendable, Hashable {
    case sum, mean, max, min, product, l1, l2, logSum, logSumExp, sumSquare

}

/// A floating-point element type the reductions compute in, with the libm functions they need.
public protocol ReducibleFloat: BinaryFloatingPoint {
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
}

extension Float: ReducibleFloat {
    @inlinable public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
}

extension Double: ReducibleFloat {
    @inlinable public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
}

/// Reduces `input` of `shape` over `axes` (non-negative, distinct), writing the result laid out
/// as `shape` with each reduced dimension set to 1 (any `keepdims` choice has this layout).
///
/// The input is walked once in memory order against a broadcast view of the output, so any set
/// of axes costs the same single pass; `logSumExp` makes a second pass after finding the maxima.
@inlinable
public func reduce<T: ReducibleFloat>(
    _ reduction: Reduction,
    _ input: UnsafePointer<T>,
    shape: [Int],
    axes: Set<Int>,
    into output: UnsafeMutablePointer<T>
) {
    let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    let outputCount = kept.reduce(1, *)
    let reducedCount = shape.reduce(1, *) / Swift.max(outputCount, 1)
    guard outputCount > 0 else { return }
    let plan = BroadcastPlan([shape, kept])!
    func accumulate(_ initial: T, _ step: (T, T) -> T) {
        for index in 0..<outputCount { output[index] = initial }
        plan.forEachRun { offsets, count, strides in
            let x = input + offsets[0]
            let y = output + offsets[1]
            if strides[1] == 0 {
                var value = y.pointee
                for index in 0..<count { value = step(value, x[index]) }
                y.pointee = value
            } else {
                for index in 0..<count { y[index] = step(y[index], x[index]) }
            }
        }
    }
    switch reduction {
    case .sum, .mean: accumulate(0) { $0 + $1 }
    case .max: accumulate(-.infinity) { $1 > $0 || $1.isNaN ? $1 : $0 }
    case .min: accumulate(.infinity) { $1 < $0 || $1.isNaN ? $1 : $0 }
    case .product: accumulate(1) { $0 * $1 }
    case .l1: accumulate(0) { $0 + Swift.abs($1) }
    case .l2, .sumSquare: accumulate(0) { $0 + $1 * $1 }
    case .logSum: accumulate(0) { $0 + $1 }
    case .logSumExp:
        accumulate(-.infinity) { Swift.max($0, $1) }
        withUnsafeTemporaryAllocation(of: T.self, capacity: outputCount) { maxima in
            for index in 0..<outputCount {
                maxima[index] = output[index].isFinite ? output[index] : 0
                output[index] = 0
            }
            let maximaBase = maxima.baseAddress!
            plan.forEachRun { offsets, count, strides in
                let x = input + offsets[0]
                let y = output + offsets[1], m = maximaBase + offsets[1]
                for index in 0..<count {
                    let at = index * strides[1]
                    y[at] += T.exponential(x[index] - m[at])
                }
            }
            for index in 0..<outputCount { output[index] = T.logarithm(output[index]) + maxima[index] }
        }
    }
    switch reduction {
    case .mean: for index in 0..<outputCount { output[index] /= T(reducedCount) }
    case .l2: for index in 0..<outputCount { output[index] = output[index].squareRoot() }
    case .logSum: for index in 0..<outputCount { output[index] = T.logarithm(output[index]) }
    default: break
    }
}

/// The scalar reference for ``reduce(_:_:shape:axes:into:)``: gathers each output's elements by
/// multi-index and reduces them in `Double`.
public func reduceReference(_ reduction: Reduction, _ input: [Float], shape: [Int], axes: Set<Int>) -> [Float] {
    let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    var groups = [[Double]](repeating: [], count: kept.reduce(1, *))
    for flat in input.indices {
        var remainder = flat, target = 0, step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let coordinate = remainder % shape[axis]
            remainder /= shape[axis]
            if !axes.contains(axis) { target += coordinate * step }
            step *= kept[axis]
        }
        groups[target].append(Double(input[flat]))
    }
    return groups.map { values in
        let result: Double
        switch reduction {
        case .sum: result = values.reduce(0, +)
        case .mean: result = values.reduce(0, +) / Double(values.count)
        case .max: result = values.max() ?? -.infinity
        case .min: result = values.min() ?? .infinity
        case .product: result = values.reduce(1, *)
        case .l1: result = values.reduce(0) { $0 + Swift.abs($1) }
        case .l2: result = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .logSum: result = Foundation.log(values.reduce(0, +))
        case .logSumExp: result = Foundation.log(values.reduce(0) { $0 + Foundation.exp($1) })
        case .sumSquare: result = values.reduce(0) { $0 + $1 * $1 }
        }
        return Float(result)
    }
}
