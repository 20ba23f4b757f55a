import SluiceKernels

/// `Normalizer` (ml opset 1): divides each row by its MAX, L1 or L2 norm; the output is float.
let normalizerOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "Normalizer", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: numericTypes)
    let name = try context.node.string("norm", default: "MAX")
    guard let norm = RowNorm(rawValue: name) else {
        throw OperatorError("norm '\(name)' is not one of MAX, L1, L2")
    }
    return CompiledNode(
        operation: Normalization(norm: norm),
        outputs: [ValueInfo(elementType: .float, shape: input.shape)]
    )
}

struct Normalization: CompiledOperator {
    let norm: RowNorm

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let values = try input.floatsCast("X")
        let rowCount = input.rank == 2 ? input.shape[0] : 1
        outputs[0].withMutableFloats(shape: input.shape) { output in
            output = values
            output.withUnsafeMutableBufferPointer { norm.normalize($0, rowCount: rowCount) }
        }
    }
}
