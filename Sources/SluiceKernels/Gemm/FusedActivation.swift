/// An activation a GEMM applies to each output as it stores it, saving a pass over the output.
public enum FusedActivation: Sendable, Hashable {
    case none
    case relu

    @inlinable @inline(__always)
    func apply(_ value: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .none: value
        case .relu: value.replacing(with: 0, where: value .< 0)
        }
    }

    @inlinable @inline(__always)
    func apply(_ value: Float) -> Float {
        switch self {
        case .none: value
        case .relu: value < 0 ? 0 : value
        }
    }
}
