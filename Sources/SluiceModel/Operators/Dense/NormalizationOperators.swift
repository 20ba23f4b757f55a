import SluiceKernels

/// `BatchNormalization` in inference mode and `LayerNormalization`.
let normalizationOperators: [OperatorDefinition] = [
    OperatorDefinition(opType: "BatchNormalization", opsets: since(7), compile: compileBatchNormalization),
    OperatorDefinition(opType: "LayerNormalization", opsets: since(17), compile: compileLayerNormalization),
]

private func compileBatchNormalization(_ context: OperatorContext) throws -> CompiledNode {
    let node = context.node
    let input = try context.floatInput(0)
    if try node.int("training_mode", default: 0) != 0 {
        throw OperatorError("training_mode=1 is not supported; export the model in inference mode")
    }
    if try node.int("spatial", default: 1) != 1 { throw OperatorError("spatial=0 is not supported") }
    guard context.outputCount <= 1 else {
        throw OperatorError("the running statistics outputs exist only in training mode, which is not supported")
    }
    guard let rank = input.rank, rank >= 2 else { throw OperatorError("the input must have rank ≥ 2 (N, C, …)") }
    var parameters: [[Float]] = []
    for index in 1...4 {
        _ = try context.floatInput(index)
        guard let constant = context.input(index)?.constant else {
            throw OperatorError("input \(index) (scale, B, mean, var) must be a constant initializer")
        }
        parameters.append(try constant.values(Float.self))
    }
    let channels = parameters[0].count
    guard parameters.allSatisfy({ $0.count == channels }) else {
        throw OperatorError("scale, B, mean and var must each hold one value per channel")
    }
    if case .fixed(let size) = input.shape![1], size != channels {
        throw OperatorError("the input has \(size) channels but the statistics have \(channels)")
    }
    let affine = ChannelAffine(
        gamma: parameters[0], beta: parameters[1], mean: parameters[2], variance: parameters[3],
        epsilon: try node.float("epsilon", default: 1e-5)
    )
    return CompiledNode(operation: BatchNormalizationNode(affine: affine), outputs: [ValueInfo(elementType: .float, shape: input.shape)])
}

struct BatchNormalizationNode: CompiledOperator {
    let affine: ChannelAffine

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        guard shape[1] == affine.channels else {
            throw OperatorError("the input has \(shape[1]) channels, not \(affine.channels)")
        }
        let values = try inputs[0].values(Float.self)
        outputs[0].withMutableFloats(shape: shape) { output in
            guard !values.isEmpty else { return }
            values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    affine.apply(input.baseAddress!, output.baseAddress!, outer: shape[0], inner: shape.dropFirst(2).reduce(1, *))
                }
            }
        }
    }
}

private func compileLayerNormalization(_ context: OperatorContext) throws -> CompiledNode {
    let node = context.node
    let input = try context.floatInput(0)
    guard let dimensions = input.shape else { throw OperatorError("the input's rank must be known") }
    let axis = try normalizedAxis(Int(try node.int("axis", default: -1)), rank: dimensions.count)
    if try node.int("stash_type", default: 1) != 1 { throw OperatorError("stash_type must be 1 (float)") }
    _ = try context.floatInput(1)
    if context.input(2) != nil { _ = try context.floatInput(2) }
    let epsilon = try node.float("epsilon", default: 1e-5)
    var outputs = [ValueInfo(elementType: .float, shape: dimensions)]
    let statistics = dimensions.enumerated().map { $0.offset < axis ? $0.element : .fixed(1) }
    for _ in 1..<max(context.outputCount, 1) { outputs.append(ValueInfo(elementType: .float, shape: statistics)) }
    return CompiledNode(operation: LayerNormalizationNode(axis: axis, epsilon: epsilon), outputs: outputs)
}

struct LayerNormalizationNode: CompiledOperator {
    let axis: Int
    let epsilon: Float

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        let rows = shape.prefix(axis).reduce(1, *), width = shape.dropFirst(axis).reduce(1, *)
        let scale = try inputs[1].values(Float.self)
        let bias = inputs.count > 2 && inputs[2].count > 0 ? try inputs[2].values(Float.self) : nil
        guard scale.count == width || scale.count == 1, bias == nil || bias!.count == width || bias!.count == 1 else {
            throw OperatorError("Scale and B must hold \(width) values to normalise over shape \(Array(shape.dropFirst(axis)))")
        }
        let values = try inputs[0].values(Float.self)
        let statisticsShape = shape.enumerated().map { $0.offset < axis ? $0.element : 1 }
        var mean = [Float](repeating: 0, count: rows), inverse = [Float](repeating: 0, count: rows)
        outputs[0].withMutableFloats(shape: shape) { output in
            guard width > 0 else { return }
            values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    scale.withUnsafeBufferPointer { scale in
                        (bias ?? []).withUnsafeBufferPointer { biasBuffer in
                            mean.withUnsafeMutableBufferPointer { mean in
                                inverse.withUnsafeMutableBufferPointer { inverse in
                                    guard let x = input.baseAddress, let y = output.baseAddress else { return }
                                    layerNormalization(
                                        x, y, rows: rows, width: width, scale: scale, bias: bias == nil ? nil : biasBuffer,
                                        epsilon: epsilon, mean: mean.baseAddress, inverseStandardDeviation: inverse.baseAddress
                                    )
                                }
                            }
                        }
                    }
                }
            }
        }
        if outputs.count > 1 { outputs[1] = Tensor(shape: statisticsShape, floats: mean) }
        if outputs.count > 2 { outputs[2] = Tensor(shape: statisticsShape, floats: inverse) }
    }
}
