import Foundation

/// A float function applied element by element: ONNX's unary math and activation operators.
///
/// ``apply(_:)`` is the scalar reference, computed through libm in `Double`; the fast path over
/// whole buffers is ``apply(_:into:)``.
public enum UnaryFunction: Sendable, Hashable {
    case abs, negate, sqrt, exp, log, reciprocal, floor, ceil, round, erf, sign
    case relu
    case leakyRelu(alpha: Float)
    case sigmoid
    case hardSigmoid(alpha: Float, beta: Float)
    case tanh
    /// `x·Φ(x)` with the exact normal CDF.
    case geluExact
    /// `x·Φ(x)` with Φ approximated through `tanh`, as ONNX's `approximate="tanh"`.
    case geluTanh
    case softplus
    case softsign
    case elu(alpha: Float)
    case selu(alpha: Float, gamma: Float)
    case clip(min: Float, max: Float)

    /// The scalar reference value of this function at `x`.
    public func apply(_ x: Float) -> Float { Float(apply(double: Double(x))) }

    /// This function at `x` in double precision, through libm: the reference, and the path for
    /// double tensors.
    public func apply(double v: Double) -> Double {
        switch self {
        case .abs: return Swift.abs(v)
        case .negate: return -v
        case .sqrt: return Foundation.sqrt(v)
        case .exp: return Foundation.exp(v)
        case .log: return Foundation.log(v)
        case .reciprocal: return 1 / v
        case .floor: return v.rounded(.down)
        case .ceil: return v.rounded(.up)
        case .round: return v.rounded(.toNearestOrEven)
        case .erf: return Foundation.erf(v)
        case .sign: return v.isNaN ? v : (v > 0 ? 1 : (v < 0 ? -1 : 0))
        case .relu: return v < 0 ? 0 : v
        case .leakyRelu(let alpha): return v < 0 ? Double(alpha) * v : v
        case .sigmoid: return 1 / (1 + Foundation.exp(-v))
        case .hardSigmoid(let alpha, let beta): return Swift.max(0, Swift.min(1, Double(alpha) * v + Double(beta)))
        case .tanh: return Foundation.tanh(v)
        case .geluExact: return 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))
        case .geluTanh: return 0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
        case .softplus: return v > 30 ? v : Foundation.log1p(Foundation.exp(v))
        case .softsign: return v / (1 + Swift.abs(v))
        case .elu(let alpha): return v < 0 ? Double(alpha) * Foundation.expm1(v) : v
        case .selu(let alpha, let gamma): return v <= 0 ? Double(gamma) * Double(alpha) * Foundation.expm1(v) : Double(gamma) * v
        case .clip(let low, let high): return v.isNaN ? v : Swift.min(Swift.max(v, Double(low)), Double(high))
        }
    }
}
