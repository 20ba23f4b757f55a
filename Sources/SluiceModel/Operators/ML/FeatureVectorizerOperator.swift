import SluiceKernels

/// `FeatureVectorizer` (ml opset 1): concatenates its inputs' rows as floats, each cut or zero-padded
/// to its entry of `inputdimensions`.
let featureVectorizerOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "FeatureVectorizer", opsets: 1...5
) { context in
    let dimensions = try context.node.ints("inputdimensions", default: []).map(Int.init)
    guard dimensions.count == context.inputs.count, !dimensions.isEmpty else {
        throw OperatorError("inputdimensions has \(dimensions.count) entries for \(context.inputs.count) inputs")
    }
    guard dimensions.allSatisfy({ $0 >= 0 }) else { throw OperatorError("inputdimensions must not be negative") }
    for index in context.inputs.indices {
        try requireType(try context.requiredInput(index), "\(index)", in: numericTypes)
    }
    let first = try context.requiredInput(0)
    return CompiledNode(
        operation: FeatureVectorization(dimensions: dimensions),
        outputs: [ValueInfo(elementType: .float, shape: [batchDimension(of: first), .fixed(dimensions.reduce(0, +))])]
    )
}

struct FeatureVectorization: CompiledOperator {
    let dimensions: [Int]

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let rowCount = inputs[0].rank <= 1 ? 1 : inputs[0].shape[0]
        let width = dimensions.reduce(0, +)
        let parts = try inputs.enumerated().map { index, tensor in
            let rows = tensor.rank <= 1 ? 1 : tensor.shape[0]
            guard rows == rowCount else {
                throw OperatorError("input \(index) has \(rows) rows but input 0 has \(rowCount)")
            }
            return (values: try tensor.floatsCast("\(index)"), stride: rows == 0 ? 0 : tensor.count / rows)
        }
        outputs[0].withMutableFloats(shape: [rowCount, width]) { output in
            for row in 0..<rowCount {
                var column = row * width
                for (part, dimension) in zip(parts, dimensions) {
                    for feature in 0..<dimension {
                        output[column + feature] = feature < part.stride ? part.values[row * part.stride + feature] : 0
                    }
                    column += dimension
                }
            }
        }
    }
}
