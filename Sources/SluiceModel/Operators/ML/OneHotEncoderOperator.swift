import SluiceKernels

/// `OneHotEncoder` (ml opset 1): one float column per category, appended as a last dimension. With
/// `zeros` = 0 an unknown category is an error, otherwise its row is all zeros. Numeric inputs are
/// matched against `cats_int64s` after truncation to an integer, as onnxruntime does.
let oneHotEncoderOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "OneHotEncoder", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    let node = context.node
    let allowsUnknown = try node.int("zeros", default: 1) != 0
    let integers = try node.ints("cats_int64s", default: [])
    let strings = try node.strings("cats_strings", default: [])
    let categories: OneHotCategories
    switch (integers.isEmpty, strings.isEmpty) {
    case (false, true):
        try requireType(input, "X", in: numericTypes)
        categories = .integers(IntegerCategories(integers))
    case (true, false):
        try requireType(input, "X", in: [.string])
        categories = .strings(Dictionary(strings.enumerated().map { ($0.element, $0.offset) }) { first, _ in first })
    default:
        throw OperatorError("exactly one of 'cats_int64s' or 'cats_strings' is required")
    }
    let width = max(integers.count, strings.count)
    return CompiledNode(
        operation: OneHotEncoding(categories: categories, width: width, allowsUnknown: allowsUnknown),
        outputs: [ValueInfo(elementType: .float, shape: input.shape.map { $0 + [.fixed(width)] })]
    )
}

enum OneHotCategories: Sendable {
    case integers(IntegerCategories)
    case strings([String: Int])
}

/// Integer categories and their columns; the first of duplicate categories wins.
struct IntegerCategories: Sendable {
    private let keys: [Int64]
    private let columns: [Int64: Int]

    init(_ keys: [Int64]) {
        self.keys = keys
        columns = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
    }

    /// The column of `value`. A few categories, the usual case, are scanned: faster than hashing.
    @inline(__always)
    func column(of value: Int64) -> Int? {
        guard keys.count <= 16 else { return columns[value] }
        for (column, key) in keys.enumerated() where key == value { return column }
        return nil
    }
}

struct OneHotEncoding: CompiledOperator {
    let categories: OneHotCategories
    let width: Int
    let allowsUnknown: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let width = self.width
        var unknown: Int?
        /// Sets each element's category column to 1 in its all-zero row of `output`.
        func encode<Value>(_ values: [Value], into output: inout [Float], _ column: (Value) -> Int?) {
            output.withUnsafeMutableBufferPointer { output in
                output.update(repeating: 0)
                for (element, value) in values.enumerated() {
                    if let column = column(value) {
                        output[element * width + column] = 1
                    } else if unknown == nil {
                        unknown = element
                    }
                }
            }
        }
        try outputs[0].withMutableFloats(shape: input.shape + [width]) { output in
            switch (categories, input.storage) {
            case (.strings(let map), .string(let values)):
                encode(values, into: &output) { map[$0] }
            case (.integers(let categories), .int64(let values)):
                encode(values, into: &output) { categories.column(of: $0) }
            case (.integers(let categories), .int32(let values)):
                encode(values, into: &output) { categories.column(of: Int64($0)) }
            case (.integers(let categories), .float(let values)):
                encode(values, into: &output) { $0.isFinite ? categories.column(of: Int64($0)) : nil }
            case (.integers(let categories), .double(let values)):
                encode(values, into: &output) { $0.isFinite ? categories.column(of: Int64($0)) : nil }
            default:
                throw OperatorError("input X holds \(input.elementType), which does not match the categories")
            }
        }
        if !allowsUnknown, let unknown {
            throw OperatorError("element \(unknown) of input X is not a known category and zeros is 0")
        }
    }
}
