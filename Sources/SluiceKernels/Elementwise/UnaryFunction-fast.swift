import Foundation
import SluiceKernelsAVX2

extension UnaryFunction {
    /// Applies this function to every element of `input`, writing `output` (same count; may be the
    /// same buffer). Matches ``apply(_:)`` within a few ulp; exp, sigmoid, tanh, erf and GELU use
    /// ``VectorMath``, the rest compile to plain vectorised loops or libm. The activations a GEMM
    /// can fuse run in the AVX2 variant where the CPU has it (``KernelVariant/fastest``).
    public func apply(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == output.count)
        guard let x = input.baseAddress, let y = output.baseAddress else { return }
        let n = input.count
        if KernelVariant.fastest == .avx2, let activation = FusedActivation(self) {
            applyActivationAVX2(activation, x, y, count: n)
            return
        }
        switch self {
        case .abs: map(x, y, n) { Swift.abs($0) }
        case .negate: map(x, y, n) { -$0 }
        case .sqrt: map(x, y, n) { $0.squareRoot() }
        case .reciprocal: map(x, y, n) { 1 / $0 }
        case .floor: map(x, y, n) { $0.rounded(.down) }
        case .ceil: map(x, y, n) { $0.rounded(.up) }
        case .round: map(x, y, n) { $0.rounded(.toNearestOrEven) }
        case .sign: map(x, y, n) { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .relu: map(x, y, n) { $0 < 0 ? 0 : $0 }
        case .leakyRelu(let alpha): map(x, y, n) { $0 < 0 ? alpha * $0 : $0 }
        case .hardSigmoid(let alpha, let beta): map(x, y, n) { Swift.max(0, Swift.min(1, alpha * $0 + beta)) }
        case .softsign: map(x, y, n) { $0 / (1 + Swift.abs($0)) }
        case .clip(let low, let high): map(x, y, n) { $0.isNaN ? $0 : Swift.min(Swift.max($0, low), high) }
        case .log: map(x, y, n) { Foundation.log($0) }
        case .erf: VectorMath.map(x, into: y, count: n) { VectorMath.erf($0) }
        case .exp: VectorMath.map(x, into: y, count: n) { VectorMath.exp($0) }
        case .sigmoid: VectorMath.map(x, into: y, count: n) { VectorMath.sigmoid($0) }
        case .tanh: VectorMath.map(x, into: y, count: n) { VectorMath.tanh($0) }
        case .geluTanh:
            let scale = Float((2 / Double.pi).squareRoot())
            VectorMath.map(x, into: y, count: n) { v in 0.5 * v * (1 + VectorMath.tanh(scale * (v + 0.044715 * v * v * v))) }
        case .geluExact: VectorMath.map(x, into: y, count: n) { VectorMath.geluExact($0) }
        case .softplus:
            // log(1 + eˣ) overflows in float beyond x ≈ 88, where it equals x to float precision.
            map(x, y, n) { v in v > 20 ? v : Foundation.log1p(Foundation.exp(v)) }
        case .elu(let alpha): map(x, y, n) { v in v < 0 ? alpha * Foundation.expm1(v) : v }
        case .selu(let alpha, let gamma):
            map(x, y, n) { v in v <= 0 ? gamma * alpha * Foundation.expm1(v) : gamma * v }
        }
    }

    @inline(__always)
    private func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Float) -> Float) {
        for index in 0..<n { y[index] = f(x[index]) }
    }
}
