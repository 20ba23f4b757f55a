import Foundation

/// The transform an ONNX-ML scorer applies to its raw scores before writing them out.
///
/// The arithmetic follows onnxruntime's (`ml_common.h`): in `Float`, with its logistic that avoids
/// overflow for large negative scores and its closed-form approximation of the inverse error
/// function for probit, so that Sluice's scores match the reference outputs users check against.
public enum PostTransform: Sendable, Hashable, CaseIterable {
    case none
    case softmax
    case logistic
    case softmaxZero
    case probit

    /// Parses the string form of the `post_transform` attribute of opsets 1–4 (`"SOFTMAX_ZERO"`).
    public init?(name: String) {
        switch name {
        case "NONE": self = .none
        case "SOFTMAX": self = .softmax
        case "LOGISTIC": self = .logistic
        case "SOFTMAX_ZERO": self = .softmaxZero
        case "PROBIT": self = .probit
        default: return nil
        }
    }

    /// Parses the integer form of the `post_transform` attribute of `TreeEnsemble` (ml opset 5).
    public init?(code: Int64) {
        switch code {
        case 0: self = .none
        case 1: self = .softmax
        case 2: self = .logistic
        case 3: self = .softmaxZero
        case 4: self = .probit
        default: return nil
        }
    }

    /// Transforms one row of scores in place: element by element for logistic and probit, across
    /// the row for the two softmaxes.
    public func apply(to row: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .none:
            return
        case .logistic:
            for index in row.indices { row[index] = Self.logistic(row[index]) }
        case .probit:
            for index in row.indices { row[index] = Self.probit(row[index]) }
        case .softmax:
            Self.softmax(row)
        case .softmaxZero:
            Self.softmaxZero(row)
        }
    }

    /// Transforms rows of `width` scores in place, like ``apply(to:)`` on each row: the softmax
    /// and the logistic through the vectorised kernels, which agree with the per-row forms within
    /// a few ulp and give every score the same bits wherever its row sits in the batch.
    public func apply(toRows scores: UnsafeMutableBufferPointer<Float>, width: Int) {
        guard width > 0, let base = scores.baseAddress else { return }
        let rows = scores.count / width
        switch self {
        case .softmax:
            SluiceKernels.softmax(UnsafePointer(base), base, outer: rows, axis: width, inner: 1, logarithmic: false)
        case .logistic:
            // The last partial vector goes through the same vector function, padded: a score's
            // logistic must not depend on where its row sits in the batch (libm's scalar exp and the
            // vector one differ in the last bit for some inputs).
            VectorMath.map(base, into: base, count: scores.count) { Self.logistic($0) }
        default:
            for row in 0..<rows { apply(to: UnsafeMutableBufferPointer(rebasing: scores[row * width..<(row + 1) * width])) }
        }
    }

    /// ``logistic(_:)`` of eight scores.
    static func logistic(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let v = 1 / (1 + VectorMath.exp(-VectorMath.abs(x)))
        return v.replacing(with: 1 - v, where: x .< 0)
    }

    /// `1 / (1 + e^-x)`, computed on `|x|` so that large negative inputs do not overflow.
    public static func logistic(_ x: Float) -> Float {
        let v = 1 / (1 + exp(-abs(x)))
        return x < 0 ? 1 - v : v
    }

    /// `√2 · erfinv(2x − 1)`, the quantile function of the standard normal distribution.
    public static func probit(_ x: Float) -> Float {
        Float(2).squareRoot() * inverseErf(2 * x - 1)
    }

    /// Winitzki's closed-form approximation of the inverse error function, as onnxruntime computes it.
    static func inverseErf(_ input: Float) -> Float {
        let sign: Float = input < 0 ? -1 : 1
        let x = (1 - input) * (1 + input)
        let logarithm = log(x)
        let v = 2 / (Float.pi * 0.147) + 0.5 * logarithm
        let v2 = 1 / 0.147 * logarithm
        let v3 = -v + (v * v - v2).squareRoot()
        return sign * v3.squareRoot()
    }

    /// The softmax of a row, shifted by its maximum for numerical stability.
    public static func softmax(_ row: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in row where value > maximum { maximum = value }
        var sum: Float = 0
        for index in row.indices {
            row[index] = exp(row[index] - maximum)
            sum += row[index]
        }
        for index in row.indices { row[index] /= sum }
    }

    /// A softmax in which scores of (almost) exactly zero stay zero: they stand for classes no tree voted for.
    public static func softmaxZero(_ row: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in row where value > maximum { maximum = value }
        let scaleOfZero = exp(-maximum)
        var sum: Float = 0
        for index in row.indices {
            let value = row[index]
            if value > 0.0000001 || value < -0.0000001 {
                row[index] = exp(value - maximum)
                sum += row[index]
            } else {
                row[index] = value * scaleOfZero
            }
        }
        for index in row.indices { row[index] /= sum }
    }
}
