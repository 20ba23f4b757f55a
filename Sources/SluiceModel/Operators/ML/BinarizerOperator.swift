import SluiceKernels

/// `Binarizer` (ml opset 1): 1 where the element exceeds `threshold`, else 0, in the input's type.
/// A NaN element is an error, as in onnxruntime, rather than a silent 0.
let binarizerOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "Binarizer", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    try requireType(input, "X", in: [.float, .double])
    return CompiledNode(
        operation: Binarization(threshold: try context.node.float("threshold", default: 0)),
        outputs: [ValueInfo(elementType: input.elementType, shape: input.shape)]
    )
}

struct Binarization: CompiledOperator {
    let threshold: Float

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        switch input.storage {
        case .float(let values):
            if let index = values.firstIndex(where: \.isNaN) { throw OperatorError("element \(index) of input X is NaN") }
            outputs[0].withMutableFloats(shape: input.shape) { output in
                for index in values.indices { output[index] = values[index] > threshold ? 1 : 0 }
            }
        case .double(let values):
            if let index = values.firstIndex(where: \.isNaN) { throw OperatorError("element \(index) of input X is NaN") }
            let threshold = Double(self.threshold)
            outputs[0] = Tensor(shape: input.shape, doubles: values.map { $0 > threshold ? 1 : 0 })
        default:
            throw OperatorError("input X must be float or double, not \(input.elementType)")
        }
    }
}
