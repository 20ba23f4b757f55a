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
    public func apply(_ x: Float) -> Float {
        let v = Double(x)
        switch self {
        case .abs: return Swift.abs(x)
        case .negate: return -x
        case .sqrt: return Float(Foundation.sqrt(v))
        case .exp: return Float(Foundation.exp(v))
        case .log: return Float(Foundation.log(v))
        case .reciprocal: return Float(1 / v)
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        case .round: return x.rounded(.toNearestOrEven)
        case .erf: return Float(Foundation.erf(v))
        case .sign: return x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0))
        case .relu: return x < 0 ? 0 : x
        case .leakyRelu(let alpha): return x < 0 ? alpha * x : x
        case .sigmoid: return Float(1 / (1 + Foundation.exp(-v)))
        case .hardSigmoid(let alpha, let beta): return Swift.max(0, Swift.min(1, alpha * x + beta))
        case .tanh: return Float(Foundation.tanh(v))
        case .geluExact: return Float(0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot())))
        case .geluTanh:
            return Float(0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))))
        case .softplus: return Float(Foundation.log1p(Foundation.exp(v)))
        case .softsign: return Float(v / (1 + Swift.abs(v)))
        case .elu(let alpha): return x < 0 ? Float(Double(alpha) * Foundation.expm1(v)) : x
        case .selu(let alpha, let gamma):
            return x <= 0 ? Float(Double(gamma) * Double(alpha) * Foundation.expm1(v)) : gamma * x
        case .clip(let low, let high): return x.isNaN ? x : Swift.min(Swift.max(x, low), high)
        }
    }
}
