import SluiceKernels

/// Comparisons producing bool tensors, the boolean operators, and `Where`.
let comparisonOperators: [OperatorDefinition] = [
    comparison("Equal", .equal, since: 7),
    comparison("Less", .less, since: 7),
    comparison("Greater", .greater, since: 7),
    comparison("LessOrEqual", .lessOrEqual, since: 12),
    comparison("GreaterOrEqual", .greaterOrEqual, since: 12),
    logical("And", since: 7) { $0 && $1 },
    logical("Or", since: 7) { $0 || $1 },
    logical("Xor", since: 7) { $0 != $1 },
    OperatorDefinition(opType: "Not", opsets: since(1)) { context in
        let input = try context.input(0, ofType: [.bool])
        return CompiledNode(operation: NotNode(), outputs: [ValueInfo(elementType: .bool, shape: input.shape)])
    },
    OperatorDefinition(opType: "Where", opsets: since(9), compile: compileWhere),
]

/// A comparison of two broadcast operands.
enum Comparison: Sendable {
    case equal, less, greater, lessOrEqual, greaterOrEqual

    func apply<T: Comparable & DenseElement>(_ type: T.Type, _ a: Tensor, _ b: Tensor, into output: inout Tensor) throws {
        switch self {
        case .equal: try broadcast(a, b, T.self, into: &output, filler: false) { $0 == $1 }
        case .less: try broadcast(a, b, T.self, into: &output, filler: false) { $0 < $1 }
        case .greater: try broadcast(a, b, T.self, into: &output, filler: false) { $0 > $1 }
        case .lessOrEqual: try broadcast(a, b, T.self, into: &output, filler: false) { $0 <= $1 }
        case .greaterOrEqual: try broadcast(a, b, T.self, into: &output, filler: false) { $0 >= $1 }
        }
    }
}

private func comparison(_ opType: String, _ comparison: Comparison, since first: Int) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(first)) { context in
        let types: Set<ElementType> = comparison == .equal
            ? [.float, .double, .int64, .int32, .bool, .string] : [.float, .double, .int64, .int32]
        let a = try context.input(0, ofType: types)
        let b = try context.input(1, ofType: [a.elementType])
        let shape = try broadcastDimensions([a.shape, b.shape])
        return CompiledNode(
            operation: ComparisonNode(comparison: comparison, elementType: a.elementType),
            outputs: [ValueInfo(elementType: .bool, shape: shape)]
        )
    }
}

struct ComparisonNode: CompiledOperator {
    let comparison: Comparison
    let elementType: ElementType

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let a = inputs[0], b = inputs[1]
        switch elementType {
        case .float: try comparison.apply(Float.self, a, b, into: &outputs[0])
        case .double: try comparison.apply(Double.self, a, b, into: &outputs[0])
        case .int64: try comparison.apply(Int64.self, a, b, into: &outputs[0])
        case .int32: try comparison.apply(Int32.self, a, b, into: &outputs[0])
        case .string: try comparison.apply(String.self, a, b, into: &outputs[0])
        case .bool: try broadcast(a, b, Bool.self, into: &outputs[0], filler: false) { $0 == $1 }
        }
    }
}

private func logical(_ opType: String, since first: Int, _ operation: @escaping @Sendable (Bool, Bool) -> Bool) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(first)) { context in
        let a = try context.input(0, ofType: [.bool])
        let b = try context.input(1, ofType: [.bool])
        let shape = try broadcastDimensions([a.shape, b.shape])
        return CompiledNode(operation: LogicalNode(operation: operation), outputs: [ValueInfo(elementType: .bool, shape: shape)])
    }
}

struct LogicalNode: CompiledOperator {
    let operation: @Sendable (Bool, Bool) -> Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try broadcast(inputs[0], inputs[1], Bool.self, into: &outputs[0], filler: false, operation)
    }
}

struct NotNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try map(inputs[0], Bool.self, into: &outputs[0], filler: false) { !$0 }
    }
}

private func compileWhere(_ context: OperatorContext) throws -> CompiledNode {
    let condition = try context.input(0, ofType: [.bool])
    let x = try context.input(1, ofType: [.float, .double, .int64, .int32, .bool, .string])
    let y = try context.input(2, ofType: [x.elementType])
    let shape = try broadcastDimensions([condition.shape, x.shape, y.shape])
    return CompiledNode(operation: WhereNode(elementType: x.elementType), outputs: [ValueInfo(elementType: x.elementType, shape: shape)])
}

struct WhereNode: CompiledOperator {
    let elementType: ElementType

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        switch elementType {
        case .float: try select(Float.self, inputs, &outputs[0], filler: 0)
        case .double: try select(Double.self, inputs, &outputs[0], filler: 0)
        case .int64: try select(Int64.self, inputs, &outputs[0], filler: 0)
        case .int32: try select(Int32.self, inputs, &outputs[0], filler: 0)
        case .bool: try select(Bool.self, inputs, &outputs[0], filler: false)
        case .string: try select(String.self, inputs, &outputs[0], filler: "")
        }
    }

    private func select<T: DenseElement>(_ type: T.Type, _ inputs: [Tensor], _ output: inout Tensor, filler: T) throws {
        let plan = try broadcastPlan(inputs.map(\.shape))
        let condition = try inputs[0].values(Bool.self)
        let x = try inputs[1].values(T.self), y = try inputs[2].values(T.self)
        output.withMutableValues(T.self, shape: plan.outputShape, filler: filler) { output in
            guard plan.outputCount > 0 else { return }
            condition.withUnsafeBufferPointer { condition in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        broadcastSelect(condition.baseAddress!, x.baseAddress!, y.baseAddress!, output.baseAddress!, plan: plan)
                    }
                }
            }
        }
    }
}
