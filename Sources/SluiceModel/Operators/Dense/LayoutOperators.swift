import SluiceKernels

/// Operators that move elements: `Transpose`, `Concat`, `Gather`, `Slice`, `Expand`, `Tile`.
/// They accept every element type.
let layoutOperators: [OperatorDefinition] = [
    OperatorDefinition(opType: "Transpose", opsets: since(1), compile: compileTranspose),
    OperatorDefinition(opType: "Concat", opsets: since(4), compile: compileConcat),
    OperatorDefinition(opType: "Gather", opsets: since(1), compile: compileGather),
    OperatorDefinition(opType: "Slice", opsets: since(10), compile: compileSlice),
    OperatorDefinition(opType: "Expand", opsets: since(8), compile: compileExpand),
    OperatorDefinition(opType: "Tile", opsets: since(6), compile: compileTile),
]

private func compileTranspose(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    guard let dimensions = input.shape else { throw OperatorError("the input's rank must be known") }
    let rank = dimensions.count
    let permutation = try context.node.ints("perm", default: (0..<Int64(rank)).reversed()).map { Int($0) }
    guard permutation.sorted() == Array(0..<rank) else {
        throw OperatorError("perm \(permutation) is not a permutation of 0..<\(rank)")
    }
    return CompiledNode(
        operation: TransposeNode(permutation: permutation),
        outputs: [ValueInfo(elementType: input.elementType, shape: permutation.map { dimensions[$0] })]
    )
}

struct TransposeNode: CompiledOperator {
    let permutation: [Int]

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        let strides = contiguousStrides(shape)
        rearrange(
            inputs[0], shape: permutation.map { shape[$0] }, into: &outputs[0],
            StridedRearrangement(shape: permutation.map { shape[$0] }, strides: permutation.map { strides[$0] })
        )
    }
}

private func compileConcat(_ context: OperatorContext) throws -> CompiledNode {
    let first = try context.input(0, ofType: anyElementType)
    guard let rank = first.rank else { throw OperatorError("the inputs' rank must be known") }
    let axis = try normalizedAxis(Int(try context.node.int("axis")), rank: rank)
    var total: Dimension = .fixed(0)
    var shape = first.shape!
    for index in context.inputs.indices {
        let input = try context.input(index, ofType: [first.elementType])
        guard let dimensions = input.shape, dimensions.count == rank else {
            throw OperatorError("input \(index) must have rank \(rank)")
        }
        if case .fixed(let sum) = total, case .fixed(let size) = dimensions[axis] { total = .fixed(sum + size) } else { total = .dynamic(nil) }
        for other in 0..<rank where other != axis {
            if case .dynamic = shape[other], case .fixed = dimensions[other] { shape[other] = dimensions[other] }
        }
    }
    shape[axis] = total
    return CompiledNode(operation: ConcatNode(axis: axis), outputs: [ValueInfo(elementType: first.elementType, shape: shape)])
}

struct ConcatNode: CompiledOperator {
    let axis: Int

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        var shape = inputs[0].shape
        for input in inputs.dropFirst() {
            guard input.rank == shape.count,
                input.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == shape[$0.offset] })
            else { throw OperatorError("cannot concatenate shapes \(inputs.map(\.shape)) along axis \(axis)") }
        }
        shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
        let outer = shape.prefix(axis).reduce(1, *), inner = shape.dropFirst(axis + 1).reduce(1, *)
        func run<T: DenseElement>(_ type: T.Type, filler: T) throws {
            let parts = try inputs.map { try $0.values(T.self) }
            outputs[0].withMutableValues(T.self, shape: shape, filler: filler) { output in
                guard let target = output.baseAddress else { return }
                var offset = 0
                for (part, input) in zip(parts, inputs) {
                    part.withUnsafeBufferPointer { part in
                        if let source = part.baseAddress {
                            concatenatePart(source, outer: outer, axis: input.shape[axis], inner: inner, into: target, outputAxis: shape[axis], axisOffset: offset)
                        }
                    }
                    offset += input.shape[axis]
                }
            }
        }
        switch inputs[0].elementType {
        case .float: try run(Float.self, filler: 0)
        case .double: try run(Double.self, filler: 0)
        case .int64: try run(Int64.self, filler: 0)
        case .int32: try run(Int32.self, filler: 0)
        case .bool: try run(Bool.self, filler: false)
        case .string: try run(String.self, filler: "")
        }
    }
}

private func compileGather(_ context: OperatorContext) throws -> CompiledNode {
    let data = try context.input(0, ofType: anyElementType)
    let indices = try context.input(1, ofType: [.int64, .int32])
    guard let dimensions = data.shape, let indexShape = indices.shape else {
        throw OperatorError("the ranks of data and indices must be known")
    }
    let axis = try normalizedAxis(Int(try context.node.int("axis", default: 0)), rank: dimensions.count)
    let shape = Array(dimensions[..<axis]) + indexShape + Array(dimensions[(axis + 1)...])
    return CompiledNode(operation: GatherNode(axis: axis), outputs: [ValueInfo(elementType: data.elementType, shape: shape)])
}

struct GatherNode: CompiledOperator {
    let axis: Int

    private struct Selection: Rearrangement {
        var outer: Int, axis: Int, inner: Int
        var indices: [Int]
        func apply<T>(_ input: UnsafeBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>) {
            indices.withUnsafeBufferPointer { indices in
                gather(input.baseAddress!, outer: outer, axis: axis, inner: inner, indices: indices, into: output.baseAddress!)
            }
        }
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        let size = shape[axis]
        let indices = try OperatorContext.integers(of: inputs[1]).map { index in
            let resolved = index < 0 ? index + size : index
            guard resolved >= 0 && resolved < size else {
                throw OperatorError("index \(index) is out of range for axis \(axis) of size \(size)")
            }
            return resolved
        }
        let outputShape = Array(shape[..<axis]) + inputs[1].shape + Array(shape[(axis + 1)...])
        let selection = Selection(
            outer: shape[..<axis].reduce(1, *), axis: size, inner: shape[(axis + 1)...].reduce(1, *), indices: indices
        )
        rearrange(inputs[0], shape: outputShape, into: &outputs[0], selection)
    }
}

private func compileSlice(_ context: OperatorContext) throws -> CompiledNode {
    let data = try context.input(0, ofType: anyElementType)
    for index in 1...4 where context.input(index) != nil { _ = try context.input(index, ofType: [.int64, .int32]) }
    guard let dimensions = data.shape else { throw OperatorError("the input's rank must be known") }
    var arguments: [[Int]?] = []
    for index in 1...4 { arguments.append(context.input(index) == nil ? [] : try context.constantIntegers(index)) }
    var shape: [Dimension]? = Array(repeating: .dynamic(nil), count: dimensions.count)
    if arguments.allSatisfy({ $0 != nil }), let sizes = Optional(dimensions.compactMap(\.fixedSize)), sizes.count == dimensions.count {
        let plan = try SliceNode.plan(sizes, arguments.map { $0! })
        shape = plan.shape.map(Dimension.fixed)
    } else if let axes = arguments[2], !axes.isEmpty {
        // Axes the slice leaves alone keep their size.
        let sliced = Set(try axes.map { try normalizedAxis($0, rank: dimensions.count, name: "axes entry") })
        shape = dimensions.enumerated().map { sliced.contains($0.offset) ? .dynamic(nil) : $0.element }
    }
    return CompiledNode(operation: SliceNode(), outputs: [ValueInfo(elementType: data.elementType, shape: shape)])
}

struct SliceNode: CompiledOperator {
    /// The output shape and how to read it from the input, for `starts`, `ends`, `axes`, `steps`
    /// (empty when omitted), with ONNX's clamping of out-of-range starts and ends.
    static func plan(_ shape: [Int], _ arguments: [[Int]]) throws -> StridedRearrangement {
        let starts = arguments[0], ends = arguments[1]
        let axes = arguments[2].isEmpty ? Array(0..<starts.count) : arguments[2]
        let steps = arguments[3].isEmpty ? Array(repeating: 1, count: starts.count) : arguments[3]
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw OperatorError("starts, ends, axes and steps must have the same length")
        }
        let strides = contiguousStrides(shape)
        var plan = StridedRearrangement(shape: shape, strides: strides)
        var seen = Set<Int>()
        for (position, requestedAxis) in axes.enumerated() {
            let axis = try normalizedAxis(requestedAxis, rank: shape.count, name: "axes entry")
            guard seen.insert(axis).inserted else { throw OperatorError("axes \(axes) repeat an axis") }
            let size = shape[axis], step = steps[position]
            guard step != 0 else { throw OperatorError("steps cannot be 0") }
            var start = starts[position], end = ends[position]
            if start < 0 { start += size }
            if end < 0 { end += size }
            if step > 0 {
                start = min(max(start, 0), size)
                end = min(max(end, 0), size)
            } else {
                start = min(max(start, -1), size - 1)
                end = min(max(end, -1), size - 1)
            }
            let count = step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end - step - 1) / -step)
            plan.shape[axis] = count
            plan.strides[axis] = strides[axis] * step
            if count > 0 { plan.offset += start * strides[axis] }
        }
        return plan
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        var arguments: [[Int]] = []
        for index in 1...4 {
            arguments.append(index < inputs.count && inputs[index].count > 0 ? try OperatorContext.integers(of: inputs[index]) : [])
        }
        let plan = try Self.plan(inputs[0].shape, arguments)
        rearrange(inputs[0], shape: plan.shape, into: &outputs[0], plan)
    }
}

private func compileExpand(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    _ = try context.input(1, ofType: [.int64])
    var shape: [Dimension]?
    if let target = try context.constantIntegers(1) {
        shape = try broadcastDimensions([input.shape, target.map(Dimension.fixed)])
    }
    return CompiledNode(operation: ExpandNode(), outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

struct ExpandNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let target = try OperatorContext.integers(of: inputs[1])
        let input = inputs[0].shape
        guard let shape = BroadcastShape.of([input, target]) else {
            throw OperatorError("cannot expand shape \(input) to \(target)")
        }
        // Reading through stride 0 on every broadcast axis repeats the input.
        let padded = Array(repeating: 1, count: shape.count - input.count) + input
        let strides = zip(padded, contiguousStrides(padded)).map { $0 == 1 ? 0 : $1 }
        rearrange(inputs[0], shape: shape, into: &outputs[0], StridedRearrangement(shape: shape, strides: strides))
    }
}

private func compileTile(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.input(0, ofType: anyElementType)
    _ = try context.input(1, ofType: [.int64])
    var shape: [Dimension]?
    if let dimensions = input.shape {
        shape = Array(repeating: .dynamic(nil), count: dimensions.count)
        if let repeats = try context.constantIntegers(1) {
            guard repeats.count == dimensions.count else { throw OperatorError("repeats must have one entry per input dimension") }
            shape = zip(dimensions, repeats).map { dimension, count in
                dimension.fixedSize.map { .fixed($0 * count) } ?? (count == 1 ? dimension : .dynamic(nil))
            }
        }
    }
    return CompiledNode(operation: TileNode(), outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

struct TileNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let repeats = try OperatorContext.integers(of: inputs[1])
        let shape = inputs[0].shape
        guard repeats.count == shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
            throw OperatorError("repeats \(repeats) must hold one non-negative count per dimension of \(shape)")
        }
        // The output viewed as [r₀, d₀, r₁, d₁, …] reads the input with stride 0 on each repeat axis.
        let strides = contiguousStrides(shape)
        var viewShape: [Int] = [], viewStrides: [Int] = []
        for axis in shape.indices {
            viewShape += [repeats[axis], shape[axis]]
            viewStrides += [0, strides[axis]]
        }
        let outputShape = zip(shape, repeats).map(*)
        rearrange(inputs[0], shape: outputShape, into: &outputs[0], StridedRearrangement(shape: viewShape, strides: viewStrides))
    }
}
