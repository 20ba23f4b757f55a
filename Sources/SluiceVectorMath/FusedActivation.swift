/// An activation a GEMM applies to its outputs while they are still in registers, saving the
/// separate pass (and the separate node) an activation would otherwise cost.
///
/// Each case computes exactly what SluiceKernels' `UnaryFunction` fast path computes for the same
/// function, so fusing an activation into a GEMM does not change a model's results.
public enum FusedActivation: Sendable, Hashable {
    case none
    case relu
    case leakyRelu(alpha: Float)
    case sigmoid
    case tanh
    /// `x·Φ(x)` with the exact normal CDF (ONNX `Gelu`, `approximate="none"`).
    case geluExact

    @inlinable @inline(__always)
    public func apply(_ value: SIMD8<Float>) -> SIMD8<Float> { apply(value, SeparateMultiplyAdd.self) }

    /// The activation of eight values, with `M`'s multiply-adds in the polynomials.
    @inlinable @inline(__always)
    public func apply<M: MultiplyAdd>(_ value: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        switch self {
        case .none: value
        case .relu: value.replacing(with: 0, where: value .< 0)
        case .leakyRelu(let alpha): value.replacing(with: alpha * value, where: value .< 0)
        case .sigmoid: VectorMath.sigmoid(value, M.self)
        case .tanh: VectorMath.tanh(value, M.self)
        case .geluExact: VectorMath.geluExact(value, M.self)
        }
    }
}
