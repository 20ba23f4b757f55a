import SluiceKernels

/// Operators that only relabel a tensor's shape (`Reshape`, `Flatten`, `Squeeze`, `Unsqueeze`,
/// `Identity`, `Dropout` at inference) or report it (`Shape`, `Size`). None copies elements.
let shapeOperators: [OperatorDefinition] = [
    OperatorDefinition(opType: "Reshape", opsets: since(5), compile: compileReshape),
    OperatorDefinition(opType: "Flatten", opsets: since(1), compile: compileFlatten),
    OperatorDefinition(opType: "Squeeze", opsets: 1...12) { try compileSqueeze($0, axesAsInput: false) },
    OperatorDefinition(opType: "Squeeze", opsets: since(13)) { try compileSqueeze($0, axesAsInput: true) },
    OperatorDefinition(opType: "Unsqueeze", opsets: 1...12) { try compileUnsqueeze($0, axesAsInput: false) },
    OperatorDefinition(opType: "Unsqueeze", opsets: since(13)) { try compileUnsqueeze($0, axesAsInput: true) },
    OperatorDefinition(opType: "Identity", opsets: since(1)) { context in
        let input = try context.input(0, ofType: anyElementType)
        return CompiledNode(operation: ViewNode { $0[0].shape }, outputs: [ValueInfo(elementType: input.elementType, shape: input.shape, constant: input.constant)])
    },
    OperatorDefinition(opType: "Dropout", opsets: since(7), compile: compileDropout),
    OperatorDefinition(opType: "Shape", opsets: since(1), compile: compileShape),
    OperatorDefinition(opType: "Size", opsets: since(1)) { context in
        _ = try context.input(0, ofType: anyElementType)
        return CompiledNode(operation: SizeNode(), outputs: [ValueInfo(elementType: .int64, shape: [])])
    },
]

/// The input under a new shape computed from the inputs at predict time; the elements are shared.
struct ViewNode: CompiledOperator {
    let shape: @Sendable ([Tensor]) throws -> [Int]

    var isView: Bool { true }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = try self.shape(inputs)
        guard shape.reduce(1, *) == inputs[0].count else {
            throw OperatorError("cannot view \(inputs[0].count) elements of shape \(inputs[0].shape) as \(shape)")
        }
        var output = inputs[0]
        output.shape = shape
        outputs[0] = output
    }
}

/// Reshape's target with 0 (copy the input's dimension unless `allowZero`) and -1 (infer) resolved.
func resolveReshape(_ target: [Int], input: [Int], allowZero: Bool) throws -> [Int] {
    var shape = target
    var inferred: Int?
    for (index, size) in target.enumerated() {
        if size == 0 && !allowZero {
            guard index < input.count else { throw OperatorError("shape entry \(index) is 0 but the input has rank \(input.count)") }
            shape[index] = input[index]
        } else if size == -1 {
            guard inferred == nil else { throw OperatorError("shape \(target) has more than one -1") }
            inferred = index
        } else if size < 0 {
            throw OperatorError("shape entry \(size) is invalid")
        }
    }
    let total = try elementCount(input, reshaping: input, to: target)
    if let inferred {
        let known = try elementCount(shape.enumerated().filter { $0.offset != inferred }.map(\.element), reshaping: input, to: target)
        guard known > 0, total % known == 0 else { throw OperatorError("cannot reshape \(input) to \(target)") }
        shape[inferred] = total / known
    }
    guard try elementCount(shape, reshaping: input, to: target) == total else { throw OperatorError("cannot reshape \(input) to \(target)") }
    return shape
}

/// The product of `dimensions`, refusing one that overflows `Int` (a hostile model's shape
/// constant) instead of trapping.
private func elementCount(_ dimensions: [Int], reshaping input: [Int], to target: [Int]) throws -> Int {
    try dimensions.reduce(1) { product, dimension in
        let (result, overflow) = product.multipliedReportingOverflow(by: dimension)
        guard !overflow else { throw OperatorError("cannot reshape \(input) to \(target): the element count overflows") }
        return result
    }
}

private func compileReshape(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    _ = try context.input(1, ofType: [.int64])
    let allowZero = try context.opset >= 14 && context.node.int("allowzero", default: 0) != 0
    let target = try context.constantIntegers(1)
    var shape: [Dimension]?
    if let target {
        if allowZero && target.contains(0) && target.contains(-1) {
            throw OperatorError("with allowzero=1 the shape cannot hold both 0 and -1")
        }
        var dimensions: [Dimension] = target.enumerated().map { index, size in
            if size == 0 && !allowZero { return input.shape.flatMap { index < $0.count ? $0[index] : nil } ?? .dynamic(nil) }
            return size == -1 ? .dynamic(nil) : .fixed(size)
        }
        if let inferred = target.firstIndex(of: -1), let total = input.shape.flatMap({ fixedCount($0[...]) }),
            let known = fixedCount(dimensions.enumerated().filter { $0.offset != inferred }.map(\.element)[...]), known > 0
        {
            dimensions[inferred] = .fixed(total / known)
        }
        shape = dimensions
    }
    let operation = ViewNode { inputs in
        let target = try target ?? OperatorContext.integers(of: inputs[1])
        return try resolveReshape(target, input: inputs[0].shape, allowZero: allowZero)
    }
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

private func compileFlatten(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    guard let dimensions = input.shape else { throw OperatorError("the input's rank must be known") }
    let requested = Int(try context.node.int("axis", default: 1))
    let axis = requested == dimensions.count ? requested : try normalizedAxis(requested, rank: max(dimensions.count, 1))
    let outer = fixedCount(dimensions[..<axis]).map(Dimension.fixed) ?? (axis == 1 ? dimensions[0] : .dynamic(nil))
    let inner = fixedCount(dimensions[axis...]).map(Dimension.fixed) ?? .dynamic(nil)
    let operation = ViewNode { inputs in
        let shape = inputs[0].shape
        return [shape.prefix(axis).reduce(1, *), shape.dropFirst(axis).reduce(1, *)]
    }
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: [outer, inner])])
}

/// The axes of Squeeze/Unsqueeze: the attribute before opset 13, the (constant or computed) input after.
private func axesArgument(_ context: OperatorContext, axesAsInput: Bool) throws -> (axes: [Int]?, computed: Bool) {
    if axesAsInput {
        guard context.input(1) != nil else { return (nil, false) }
        if let axes = try context.constantIntegers(1) { return (axes, false) }
        return (nil, true)
    }
    guard context.node.hasAttribute("axes") else { return (nil, false) }
    return (try context.node.ints("axes").map { Int($0) }, false)
}

private func squeezedShape(_ shape: [Int], axes: [Int]?) throws -> [Int] {
    guard let axes else { return shape.filter { $0 != 1 } }
    let resolved = try Set(axes.map { try normalizedAxis($0, rank: shape.count, name: "axes entry") })
    for axis in resolved where shape[axis] != 1 {
        throw OperatorError("cannot squeeze axis \(axis) of size \(shape[axis])")
    }
    return shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
}

private func compileSqueeze(_ context: OperatorContext, axesAsInput: Bool) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    let (axes, computed) = try axesArgument(context, axesAsInput: axesAsInput)
    var shape: [Dimension]?
    if let dimensions = input.shape, !computed {
        if let axes {
            let resolved = try Set(axes.map { try normalizedAxis($0, rank: dimensions.count, name: "axes entry") })
            for axis in resolved {
                if case .fixed(let size) = dimensions[axis], size != 1 {
                    throw OperatorError("cannot squeeze axis \(axis) of size \(size)")
                }
            }
            shape = dimensions.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        } else if dimensions.allSatisfy({ $0.fixedSize != nil }) {
            shape = dimensions.filter { $0 != .fixed(1) }
        }
    }
    let operation = ViewNode { inputs in
        let axes = computed ? try OperatorContext.integers(of: inputs[1]) : axes
        return try squeezedShape(inputs[0].shape, axes: axes)
    }
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

private func unsqueezedShape<D>(_ shape: [D], axes: [Int], one: D) throws -> [D] {
    let rank = shape.count + axes.count
    let resolved = try Set(axes.map { try normalizedAxis($0, rank: rank, name: "axes entry") })
    guard resolved.count == axes.count else { throw OperatorError("axes \(axes) repeat an axis") }
    var source = shape.makeIterator()
    return (0..<rank).map { resolved.contains($0) ? one : source.next()! }
}

private func compileUnsqueeze(_ context: OperatorContext, axesAsInput: Bool) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    let (axes, computed) = try axesArgument(context, axesAsInput: axesAsInput)
    guard axes != nil || computed else { throw OperatorError("Unsqueeze needs axes") }
    var shape: [Dimension]?
    if let dimensions = input.shape, let axes { shape = try unsqueezedShape(dimensions, axes: axes, one: .fixed(1)) }
    let operation = ViewNode { inputs in
        try unsqueezedShape(inputs[0].shape, axes: try axes ?? OperatorContext.integers(of: inputs[1]), one: 1)
    }
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

private func compileDropout(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.floatInput(0)
    if context.opset >= 12, let training = context.input(2) {
        guard let constant = training.constant, constant.bools == [false] else {
            throw OperatorError("training_mode must be a constant false: Sluice runs inference only")
        }
    }
    var outputs = [ValueInfo(elementType: .float, shape: input.shape)]
    if context.outputCount > 1 {
        outputs.append(ValueInfo(elementType: context.opset >= 10 ? .bool : .float, shape: input.shape))
    }
    return CompiledNode(operation: DropoutNode(maskIsBool: context.opset >= 10), outputs: outputs)
}

/// Inference-mode `Dropout`: the input passes through, and the optional mask keeps everything.
struct DropoutNode: CompiledOperator {
    let maskIsBool: Bool

    var isView: Bool { true }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        outputs[0] = inputs[0]
        guard outputs.count > 1 else { return }
        let shape = inputs[0].shape
        if maskIsBool {
            outputs[1].withMutableValues(Bool.self, shape: shape, filler: true) { mask in mask.update(repeating: true) }
        } else {
            outputs[1].withMutableFloats(shape: shape) { mask in mask.withUnsafeMutableBufferPointer { $0.update(repeating: 1) } }
        }
    }
}

private func compileShape(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    guard let dimensions = input.shape else { throw OperatorError("the input's rank must be known") }
    let rank = dimensions.count
    func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
    let start = clamp(Int(try context.node.int("start", default: 0)))
    let end = clamp(Int(try context.node.int("end", default: Int64(rank))))
    let range = start..<max(start, end)
    var constant: Tensor?
    let selected = dimensions[range]
    if let sizes = Optional(selected.compactMap(\.fixedSize)), sizes.count == selected.count {
        constant = Tensor(shape: [sizes.count], int64s: sizes.map { Int64($0) })
    }
    return CompiledNode(
        operation: ShapeNode(range: range),
        outputs: [ValueInfo(elementType: .int64, shape: [.fixed(range.count)], constant: constant)]
    )
}

struct ShapeNode: CompiledOperator {
    let range: Range<Int>

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        outputs[0].withMutableInt64s(shape: [range.count]) { values in
            for (index, axis) in range.enumerated() { values[index] = Int64(shape[axis]) }
        }
    }
}

struct SizeNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        outputs[0].withMutableInt64s(shape: []) { $0[0] = Int64(inputs[0].count) }
    }
}
