import SluiceKernels

/// `Scaler` (ml opset 1): `(x − offset) · scale` per feature, with one offset and scale for all
/// features or one per feature; the output is float.
let scalerOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "Scaler", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    try requireType(input, "X", in: numericTypes)
    let offset = try context.node.floats("offset", default: [0])
    let scale = try context.node.floats("scale", default: [1])
    if let features = featureCount(of: input) {
        for (name, values) in [("offset", offset), ("scale", scale)] where values.count != 1 && values.count != features {
            throw OperatorError("attribute '\(name)' has \(values.count) values for \(features) features; it needs 1 or \(features)")
        }
    }
    return CompiledNode(
        operation: Scaling(offset: offset, scale: scale),
        outputs: [ValueInfo(elementType: .float, shape: input.shape)]
    )
}

struct Scaling: CompiledOperator {
    let offset: [Float]
    let scale: [Float]

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let values = try input.floatsCast("X")
        let width = input.shape.last ?? 1
        for (name, parameters) in [("offset", offset), ("scale", scale)] where parameters.count != 1 && parameters.count != width {
            throw OperatorError("attribute '\(name)' has \(parameters.count) values but input X has \(width) features")
        }
        let offset = self.offset.count == 1 ? [Float](repeating: self.offset[0], count: width) : self.offset
        let scale = self.scale.count == 1 ? [Float](repeating: self.scale[0], count: width) : self.scale
        outputs[0].withMutableFloats(shape: input.shape) { output in
            values.withUnsafeBufferPointer { values in
                output.withUnsafeMutableBufferPointer { output in
                    guard width > 0, var source = values.baseAddress, var target = output.baseAddress else { return }
                    // Row by row, without a division per element to find its feature.
                    for _ in 0..<(values.count / width) {
                        for feature in 0..<width { target[feature] = (source[feature] - offset[feature]) * scale[feature] }
                        source += width
                        target += width
                    }
                }
            }
        }
    }
}
