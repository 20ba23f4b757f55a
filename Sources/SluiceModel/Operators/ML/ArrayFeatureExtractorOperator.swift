import SluiceKernels

/// `ArrayFeatureExtractor` (ml opset 1): selects elements of the last axis of X by the int64 indices Y.
/// A one-dimensional X gives `[1, k]`, as in onnxruntime.
let arrayFeatureExtractorOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "ArrayFeatureExtractor", opsets: 1...5
) { context in
    let input = try context.requiredInput(0)
    let indices = try context.requiredInput(1)
    try requireType(input, "X", in: [.float, .double, .int64, .int32, .string])
    try requireType(indices, "Y", in: [.int64])
    let count: Dimension = indices.constant.map { .fixed($0.count) } ?? .dynamic(nil)
    if let width = input.shape?.last?.fixedSize, let constant = indices.constant?.int64s,
       let bad = constant.first(where: { $0 < 0 || $0 >= width }) {
        throw OperatorError("index \(bad) is outside the \(width) elements of the last axis of X")
    }
    let shape: [Dimension]? = input.shape.map { $0.count <= 1 ? [.fixed(1), count] : Array($0.dropLast()) + [count] }
    return CompiledNode(
        operation: ArrayFeatureExtraction(),
        outputs: [ValueInfo(elementType: input.elementType, shape: shape)]
    )
}

struct ArrayFeatureExtraction: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        guard let indices = inputs[1].int64s else {
            throw OperatorError("input Y must be int64, not \(inputs[1].elementType)")
        }
        guard input.rank >= 1, let width = input.shape.last else {
            throw OperatorError("input X must have at least one dimension")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= width }) {
            throw OperatorError("index \(bad) is outside the \(width) elements of the last axis of X")
        }
        let outer = width == 0 ? 0 : input.count / width
        let shape = input.rank == 1 ? [1, indices.count] : Array(input.shape.dropLast()) + [indices.count]
        func gather<Element>(_ values: [Element]) -> [Element] {
            var result: [Element] = []
            result.reserveCapacity(outer * indices.count)
            for row in 0..<outer {
                for index in indices { result.append(values[row * width + Int(index)]) }
            }
            return result
        }
        switch input.storage {
        case .float(let values):
            // Straight into the output's reused storage: the common case, a feature pipeline's columns.
            outputs[0].withMutableFloats(shape: shape) { output in
                values.withUnsafeBufferPointer { values in
                    output.withUnsafeMutableBufferPointer { output in
                        guard var row = values.baseAddress, var target = output.baseAddress else { return }
                        for _ in 0..<outer {
                            for index in indices {
                                target.pointee = row[Int(index)]
                                target += 1
                            }
                            row += width
                        }
                    }
                }
            }
        case .double(let values): outputs[0] = Tensor(shape: shape, doubles: gather(values))
        case .int64(let values): outputs[0] = Tensor(shape: shape, int64s: gather(values))
        case .int32(let values): outputs[0] = Tensor(shape: shape, int32s: gather(values))
        case .string(let values): outputs[0] = Tensor(shape: shape, strings: gather(values))
        case .bool(let values): outputs[0] = Tensor(shape: shape, bools: gather(values))
        }
    }
}
