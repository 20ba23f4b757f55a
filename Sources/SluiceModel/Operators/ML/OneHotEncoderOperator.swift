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
        categories = .integers(Dictionary(integers.enumerated().map { ($0.element, $0.offset) }) { first, _ in first })
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
    case integers([Int64: Int])
    case strings([String: Int])
}

struct OneHotEncoding: CompiledOperator {
    let categories: OneHotCategories
    let width: Int
    let allowsUnknown: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let columns: [Int?]
        switch (categories, input.storage) {
        case (.strings(let map), .string(let values)):
            columns = values.map { map[$0] }
        case (.integers(let map), .int64(let values)):
            columns = values.map { map[$0] }
        case (.integers(let map), .int32(let values)):
            columns = values.map { map[Int64($0)] }
        case (.integers(let map), .float(let values)):
            columns = values.map { $0.isFinite ? map[Int64($0)] : nil }
        case (.integers(let map), .double(let values)):
            columns = values.map { $0.isFinite ? map[Int64($0)] : nil }
        default:
            throw OperatorError("input X holds \(input.elementType), which does not match the categories")
        }
        if !allowsUnknown, let unknown = columns.firstIndex(of: nil) {
            throw OperatorError("element \(unknown) of input X is not a known category and zeros is 0")
        }
        outputs[0].withMutableFloats(shape: input.shape + [width]) { output in
            for index in output.indices { output[index] = 0 }
            for (element, column) in columns.enumerated() {
                if let column { output[element * width + column] = 1 }
            }
        }
    }
}
