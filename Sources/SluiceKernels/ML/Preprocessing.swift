import Foundation

/// The row normalisations of ONNX-ML's `Normalizer`.
public enum RowNorm: String, Sendable, CaseIterable {
    case max = "MAX"
    case l1 = "L1"
    case l2 = "L2"

    /// Divides each row of `values` (`rowCount` rows, contiguous) by its norm; a row whose norm is
    /// zero is left as it is, as onnxruntime does.
    public func normalize(_ values: UnsafeMutableBufferPointer<Float>, rowCount: Int) {
        guard rowCount > 0 else { return }
        let width = values.count / rowCount
        for row in 0..<rowCount {
            let slice = UnsafeMutableBufferPointer(rebasing: values[row * width..<(row + 1) * width])
            let norm: Float
            switch self {
            case .max:
                norm = slice.reduce(-Float.greatestFiniteMagnitude) { Swift.max($0, $1) }
            case .l1:
                norm = slice.reduce(0) { $0 + abs($1) }
            case .l2:
                norm = slice.reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
            guard norm != 0 else { continue }
            for index in slice.indices { slice[index] /= norm }
        }
    }
}
