import SluiceKernels

/// `ZipMap` (ml opset 1). ONNX makes it a sequence of maps from class label to probability; Sluice
/// keeps the `[N, C]` float tensor and records the labels as the output's `mapKeys`, so that outputs
/// can render one object per row without building maps on the hot path.
let zipMapOperator = OperatorDefinition(domain: "ai.onnx.ml", opType: "ZipMap", opsets: 1...5) { context in
    let input = try context.requiredInput(0)
    try requireType(input, "X", in: [.float])
    let labels = try ClassLabels(context.node, int64s: "classlabels_int64s", strings: "classlabels_strings")
    if let columns = input.shape?.last?.fixedSize, columns != labels.count {
        throw OperatorError("input X has \(columns) columns for \(labels.count) labels")
    }
    if let rank = input.rank, rank != 2 {
        throw OperatorError("input X must be [N, C], not rank \(rank)")
    }
    let keys: TensorStorage = switch labels {
    case .int64s(let values): .int64(values)
    case .strings(let values): .string(values)
    }
    return CompiledNode(
        operation: ZipMapping(columns: labels.count),
        outputs: [ValueInfo(elementType: .float, shape: input.shape, mapKeys: keys)]
    )
}

struct ZipMapping: CompiledOperator {
    let columns: Int

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        guard input.rank == 2, input.shape[1] == columns, let values = input.floats else {
            throw OperatorError("input X must be float [N, \(columns)], not \(input.elementType) \(input.shape)")
        }
        outputs[0].withMutableFloats(shape: input.shape) { $0 = values }
    }
}
