import SluiceKernels

/// The numeric columns of a model's outputs, as profiles and drift monitoring see them: every
/// element of a row's slice of a float, double or integer output, named `output` when a row has one
/// element and `output[j]` otherwise. String outputs (class labels) and outputs not shaped by the
/// batch have no column.
public enum OutputColumns {
    /// The names of the columns of `tensors` (the outputs `names` of a batch of `rows` rows, `rows > 0`).
    public static func names(of tensors: [Tensor], named names: [String], rows: Int) -> [String] {
        zip(names, tensors).flatMap { name, tensor -> [String] in
            guard isColumnar(tensor, rows) else { return [] }
            let width = tensor.count / rows
            return width == 1 ? [name] : (0 ..< width).map { "\(name)[\($0)]" }
        }
    }

    /// Calls `body(column, row, value)` for every value of every column of `tensors`, columns in
    /// ``names(of:named:rows:)``'s order.
    @inline(__always)
    public static func forEachValue(of tensors: [Tensor], rows: Int, _ body: (_ column: Int, _ row: Int, _ value: Double) -> Void) {
        var firstColumn = 0
        for tensor in tensors where isColumnar(tensor, rows) {
            let width = tensor.count / rows
            func visit<Values: RandomAccessCollection>(_ values: Values, _ convert: (Values.Element) -> Double) where Values.Index == Int {
                for row in 0 ..< rows {
                    for element in 0 ..< width { body(firstColumn + element, row, convert(values[row * width + element])) }
                }
            }
            switch tensor.storage {
            case .float(let values): visit(values) { Double($0) }
            case .double(let values): visit(values) { $0 }
            case .int64(let values): visit(values) { Double($0) }
            case .int32(let values): visit(values) { Double($0) }
            case .bool(let values): visit(values) { $0 ? 1 : 0 }
            case .string: break
            }
            firstColumn += width
        }
    }

    /// Numeric, and holding a slice per row (an output not shaped by the batch, a constant, has none).
    private static func isColumnar(_ tensor: Tensor, _ rows: Int) -> Bool {
        if case .string = tensor.storage { return false }
        return tensor.count >= rows && tensor.count % rows == 0
    }
}
