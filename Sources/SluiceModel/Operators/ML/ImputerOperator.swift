import SluiceKernels

/// `Imputer` (ml opset 1): replaces `replaced_value_*` (NaN too, when that is the value to replace)
/// with the imputed value of the element's feature. Float and int64 inputs keep their type.
let imputerOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "Imputer", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    try requireType(input, "X", in: [.float, .int64])
    let node = context.node
    let imputation: Imputation
    if input.elementType == .float {
        let values = try node.floats("imputed_value_floats")
        imputation = .floats(values, replacing: try node.float("replaced_value_float", default: 0))
    } else {
        let values = try node.ints("imputed_value_int64s")
        imputation = .int64s(values, replacing: try node.int("replaced_value_int64", default: 0))
    }
    let count = imputation.valueCount
    if let features = featureCount(of: input), count != 1 && count != features {
        throw OperatorError("the imputed values are \(count) for \(features) features; they need 1 or \(features)")
    }
    guard count > 0 else { throw OperatorError("the imputed values are empty") }
    return CompiledNode(operation: imputation, outputs: [ValueInfo(elementType: input.elementType, shape: input.shape)])
}

enum Imputation: CompiledOperator {
    case floats([Float], replacing: Float)
    case int64s([Int64], replacing: Int64)

    var valueCount: Int {
        switch self {
        case .floats(let values, _): values.count
        case .int64s(let values, _): values.count
        }
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let width = input.shape.last ?? 1
        guard valueCount == 1 || valueCount == width else {
            throw OperatorError("the imputed values are \(valueCount) but input X has \(width) features")
        }
        switch self {
        case .floats(let imputed, let replaced):
            guard let values = input.floats else { throw OperatorError("input X must be float, not \(input.elementType)") }
            let replacesNaN = replaced.isNaN
            outputs[0].withMutableFloats(shape: input.shape) { output in
                for index in values.indices {
                    let value = values[index]
                    let matches = replacesNaN ? value.isNaN : value == replaced
                    output[index] = matches ? imputed[imputed.count == 1 ? 0 : index % width] : value
                }
            }
        case .int64s(let imputed, let replaced):
            guard let values = input.int64s else { throw OperatorError("input X must be int64, not \(input.elementType)") }
            outputs[0].withMutableInt64s(shape: input.shape) { output in
                for index in values.indices {
                    let value = values[index]
                    output[index] = value == replaced ? imputed[imputed.count == 1 ? 0 : index % width] : value
                }
            }
        }
    }
}
