import Foundation
import SluiceKernels

/// Element-wise arithmetic with numpy broadcasting: `Add`, `Sub`, `Mul`, `Div`, `Pow` and the
/// variadic `Max`, `Min`, `Sum`, `Mean`.
let arithmeticOperators: [OperatorDefinition] = [
    binaryArithmetic("Add", .add, since: 7),
    binaryArithmetic("Sub", .subtract, since: 7),
    binaryArithmetic("Mul", .multiply, since: 7),
    binaryArithmetic("Div", .divide, since: 7),
    OperatorDefinition(opType: "Pow", opsets: since(7), compile: compilePow),
    variadicArithmetic("Max", .maximum),
    variadicArithmetic("Min", .minimum),
    variadicArithmetic("Sum", .add),
    variadicArithmetic("Mean", .add, mean: true),
]

/// The arithmetic a compiled node performs.
enum ArithmeticOperation: Sendable {
    case add, subtract, multiply, divide, power, maximum, minimum

    /// `a ∘ b` broadcast into `output`, for tensors of `type`.
    func apply<T: ArithmeticElement>(_ type: T.Type, _ a: Tensor, _ b: Tensor, into output: inout Tensor) throws {
        switch self {
        case .add: try broadcast(a, b, T.self, into: &output, filler: T.zero) { $0 + $1 }
        case .subtract: try broadcast(a, b, T.self, into: &output, filler: T.zero) { $0 - $1 }
        case .multiply: try broadcast(a, b, T.self, into: &output, filler: T.zero) { $0 * $1 }
        case .divide: try broadcast(a, b, T.self, into: &output, filler: T.zero) { T.divide($0, $1) }
        // NaN propagates, as numpy's maximum and onnxruntime do.
        case .maximum: try broadcast(a, b, T.self, into: &output, filler: T.zero) { $0 != $0 || $0 > $1 ? $0 : $1 }
        case .minimum: try broadcast(a, b, T.self, into: &output, filler: T.zero) { $0 != $0 || $0 < $1 ? $0 : $1 }
        case .power:
            if T.self == Float.self {
                try broadcast(a, b, Float.self, into: &output, filler: 0) { Foundation.pow($0, $1) }
            } else if T.self == Double.self {
                try broadcast(a, b, Double.self, into: &output, filler: 0) { Foundation.pow($0, $1) }
            } else {
                throw OperatorError("Pow supports float and double")
            }
        }
    }
}

private let arithmeticTypes: Set<ElementType> = [.float, .double, .int64, .int32]

private func binaryArithmetic(_ opType: String, _ operation: ArithmeticOperation, since first: Int) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(first)) { context in
        let a = try context.input(0, ofType: arithmeticTypes)
        let b = try context.input(1, ofType: [a.elementType])
        let shape = try broadcastDimensions([a.shape, b.shape])
        return CompiledNode(
            operation: ArithmeticNode(operation: operation, elementType: a.elementType, mean: false),
            outputs: [ValueInfo(elementType: a.elementType, shape: shape)]
        )
    }
}

private func variadicArithmetic(_ opType: String, _ operation: ArithmeticOperation, mean: Bool = false) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(8)) { context in
        guard !context.inputs.isEmpty else { throw OperatorError("\(opType) needs at least one input") }
        let first = try context.input(0, ofType: mean ? [.float, .double] : arithmeticTypes)
        for index in context.inputs.indices { _ = try context.input(index, ofType: [first.elementType]) }
        let shape = try broadcastDimensions(context.inputs.map { $0?.shape })
        return CompiledNode(
            operation: ArithmeticNode(operation: operation, elementType: first.elementType, mean: mean),
            outputs: [ValueInfo(elementType: first.elementType, shape: shape)]
        )
    }
}

private func compilePow(_ context: OperatorContext) throws -> CompiledNode {
    let base = try context.input(0, ofType: [.float, .double])
    let exponent = try context.input(1, ofType: arithmeticTypes)
    guard context.opset >= 12 || exponent.elementType == base.elementType else {
        throw OperatorError("before opset 12, Pow's exponent must have the base's type")
    }
    let shape = try broadcastDimensions([base.shape, exponent.shape])
    return CompiledNode(
        operation: PowNode(elementType: base.elementType, convertExponent: exponent.elementType != base.elementType),
        outputs: [ValueInfo(elementType: base.elementType, shape: shape)]
    )
}

/// A compiled binary or variadic arithmetic node; more than two inputs fold left to right.
struct ArithmeticNode: CompiledOperator {
    let operation: ArithmeticOperation
    let elementType: ElementType
    /// `Mean`: the folded sum is divided by the input count.
    let mean: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try elementType.withArithmeticType { type in try run(type, inputs, &outputs) }
    }

    private func run<T: ArithmeticElement>(_ type: T.Type, _ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        guard inputs.count > 1 else {
            outputs[0] = inputs[0]
            return
        }
        try operation.apply(T.self, inputs[0], inputs[1], into: &outputs[0])
        for input in inputs.dropFirst(2) {
            let partial = outputs[0]
            outputs[0] = .empty
            try operation.apply(T.self, partial, input, into: &outputs[0])
        }
        if mean {
            let divisor = Tensor(shape: [], storage: try castStorage(.int64([Int64(inputs.count)]), to: elementType))
            let sum = outputs[0]
            outputs[0] = .empty
            try ArithmeticOperation.divide.apply(T.self, sum, divisor, into: &outputs[0])
        }
    }
}

/// A compiled `Pow`, converting an exponent of another type to the base's type first (opset ≥ 12).
struct PowNode: CompiledOperator {
    let elementType: ElementType
    let convertExponent: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        var exponent = inputs[1]
        if convertExponent { exponent.storage = try castStorage(exponent.storage, to: elementType) }
        try elementType.withArithmeticType { type in
            try ArithmeticOperation.power.apply(type, inputs[0], exponent, into: &outputs[0])
        }
    }
}
