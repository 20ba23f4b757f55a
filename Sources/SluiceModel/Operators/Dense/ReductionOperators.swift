import SluiceKernels

/// `Reduce*`, with `axes` an attribute before opset 18 (13 for `ReduceSum`) and an input from
/// then on, and `ArgMax`/`ArgMin`.
let reductionOperators: [OperatorDefinition] =
    [
        ("ReduceSum", Reduction.sum, 13),
        ("ReduceMean", .mean, 18),
        ("ReduceMax", .max, 18),
        ("ReduceMin", .min, 18),
        ("ReduceProd", .product, 18),
        ("ReduceL1", .l1, 18),
        ("ReduceL2", .l2, 18),
        ("ReduceLogSum", .logSum, 18),
        ("ReduceLogSumExp", .logSumExp, 18),
        ("ReduceSumSquare", .sumSquare, 18),
    ].flatMap { opType, reduction, axesBecomeInput in
        [
            OperatorDefinition(opType: opType, opsets: 1...(axesBecomeInput - 1)) { context in
                try compileReduction(context, reduction, axesAsInput: false)
            },
            OperatorDefinition(opType: opType, opsets: since(axesBecomeInput)) { context in
                try compileReduction(context, reduction, axesAsInput: true)
            },
        ]
    } + [
        OperatorDefinition(opType: "ArgMax", opsets: since(1)) { try compileArgReduction($0, largest: true) },
        OperatorDefinition(opType: "ArgMin", opsets: since(1)) { try compileArgReduction($0, largest: false) },
    ]

private func compileReduction(_ context: OperatorContext, _ reduction: Reduction, axesAsInput: Bool) throws -> CompiledNode {
    let input = try context.input(0, ofType: [.float, .double])
    let keepDimensions = try context.node.int("keepdims", default: 1) != 0
    let noopWhenEmpty = try context.node.int("noop_with_empty_axes", default: 0) != 0
    var axes: [Int]?
    if axesAsInput {
        if context.input(1) == nil {
            axes = []
        } else {
            axes = try context.constantIntegers(1)
        }
    } else {
        axes = try context.node.ints("axes", default: []).map { Int($0) }
    }
    let operation = ReductionNode(
        reduction: reduction, axes: axes, keepDimensions: keepDimensions, noopWhenEmpty: noopWhenEmpty, elementType: input.elementType
    )
    var shape: [Dimension]?
    if let dimensions = input.shape, let axes {
        let resolved = try operation.resolve(axes, rank: dimensions.count)
        if let resolved {
            shape = keepDimensions
                ? dimensions.enumerated().map { resolved.contains($0.offset) ? .fixed(1) : $0.element }
                : dimensions.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        } else {
            shape = dimensions
        }
    } else if keepDimensions, let rank = input.rank {
        shape = Array(repeating: .dynamic(nil), count: rank)
    }
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: shape)])
}

struct ReductionNode: CompiledOperator {
    let reduction: Reduction
    /// The axes when known at load time; `nil` when they arrive as a computed input.
    let axes: [Int]?
    let keepDimensions: Bool
    let noopWhenEmpty: Bool
    let elementType: ElementType

    /// The axes to reduce, non-negative; `nil` when the reduction is the identity.
    func resolve(_ axes: [Int], rank: Int) throws -> Set<Int>? {
        if axes.isEmpty { return noopWhenEmpty ? nil : Set(0..<rank) }
        let resolved = try Set(axes.map { try normalizedAxis($0, rank: rank, name: "axes entry") })
        guard resolved.count == axes.count else { throw OperatorError("axes \(axes) repeat an axis") }
        return resolved
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let requested: [Int]
        if let axes {
            requested = axes
        } else {
            requested = try OperatorContext.integers(of: inputs[1])
        }
        guard let axes = try resolve(requested, rank: input.rank) else {
            outputs[0] = input
            return
        }
        let shape = keepDimensions
            ? input.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            : input.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        if elementType == .double {
            try reduce(Double.self, input, axes: axes, shape: shape, into: &outputs[0])
        } else {
            try reduce(Float.self, input, axes: axes, shape: shape, into: &outputs[0])
        }
    }

    private func reduce<T: ReducibleFloat & DenseElement>(
        _ type: T.Type, _ input: Tensor, axes: Set<Int>, shape: [Int], into output: inout Tensor
    ) throws {
        let values = try input.values(T.self)
        output.withMutableValues(T.self, shape: shape, filler: 0) { output in
            guard let target = output.baseAddress else { return }
            values.withUnsafeBufferPointer { values in
                // An empty input still has outputs: each is the reduction's identity.
                var placeholder: T = 0
                withUnsafePointer(to: &placeholder) { placeholder in
                    SluiceKernels.reduce(reduction, values.baseAddress ?? placeholder, shape: input.shape, axes: axes, into: target)
                }
            }
        }
    }
}

private func compileArgReduction(_ context: OperatorContext, largest: Bool) throws -> CompiledNode {
    let input = try context.input(0, ofType: [.float, .double, .int64, .int32])
    guard let dimensions = input.shape else { throw OperatorError("the input's rank must be known") }
    let axis = try normalizedAxis(Int(try context.node.int("axis", default: 0)), rank: dimensions.count)
    let keepDimensions = try context.node.int("keepdims", default: 1) != 0
    let selectLast = try context.node.int("select_last_index", default: 0) != 0
    var shape = dimensions
    if keepDimensions { shape[axis] = .fixed(1) } else { shape.remove(at: axis) }
    return CompiledNode(
        operation: ArgReductionNode(axis: axis, keepDimensions: keepDimensions, largest: largest, selectLast: selectLast, elementType: input.elementType),
        outputs: [ValueInfo(elementType: .int64, shape: shape)]
    )
}

struct ArgReductionNode: CompiledOperator {
    let axis: Int
    let keepDimensions: Bool
    let largest: Bool
    let selectLast: Bool
    let elementType: ElementType

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        guard shape[axis] > 0 else { throw OperatorError("cannot take the arg-extreme of an empty axis") }
        var outputShape = shape
        if keepDimensions { outputShape[axis] = 1 } else { outputShape.remove(at: axis) }
        try elementType.withArithmeticType { type in try run(type, inputs[0], outputShape, &outputs[0]) }
    }

    private func run<T: ArithmeticElement>(_ type: T.Type, _ input: Tensor, _ outputShape: [Int], _ output: inout Tensor) throws {
        let shape = input.shape
        let values = try input.values(T.self)
        let outer = shape.prefix(axis).reduce(1, *), inner = shape.dropFirst(axis + 1).reduce(1, *)
        output.withMutableValues(Int64.self, shape: outputShape, filler: 0) { output in
            guard let target = output.baseAddress else { return }
            values.withUnsafeBufferPointer { input in
                argReduce(input.baseAddress!, outer: outer, axis: shape[axis], inner: inner, largest: largest, selectLastIndex: selectLast, into: target)
            }
        }
    }
}

extension OperatorContext {
    /// The values of a predict-time int64/int32 tensor as `Int`.
    static func integers(of tensor: Tensor) throws -> [Int] {
        switch tensor.storage {
        case .int64(let values): return values.map { Int($0) }
        case .int32(let values): return values.map { Int($0) }
        default: throw OperatorError("expected an int64 tensor, got \(tensor.elementType)")
        }
    }
}
