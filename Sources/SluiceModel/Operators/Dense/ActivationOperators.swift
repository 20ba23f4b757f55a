import SluiceKernels

/// Float functions applied element by element — ONNX's unary math and activations — compiled onto
/// ``UnaryFunction``.
let activationOperators: [OperatorDefinition] = [
    unary("Sqrt", since: 6) { _ in .sqrt },
    unary("Exp", since: 6) { _ in .exp },
    unary("Log", since: 6) { _ in .log },
    unary("Reciprocal", since: 6) { _ in .reciprocal },
    unary("Floor", since: 6) { _ in .floor },
    unary("Ceil", since: 6) { _ in .ceil },
    unary("Round", since: 11) { _ in .round },
    unary("Erf", since: 9) { _ in .erf },
    unary("Sign", since: 9) { _ in .sign },
    unary("Relu", since: 6) { _ in .relu },
    unary("Sigmoid", since: 6) { _ in .sigmoid },
    unary("Tanh", since: 6) { _ in .tanh },
    unary("Softplus", since: 1) { _ in .softplus },
    unary("Softsign", since: 1) { _ in .softsign },
    unary("LeakyRelu", since: 6) { node in .leakyRelu(alpha: try node.float("alpha", default: 0.01)) },
    unary("HardSigmoid", since: 6) { node in
        .hardSigmoid(alpha: try node.float("alpha", default: 0.2), beta: try node.float("beta", default: 0.5))
    },
    unary("Elu", since: 6) { node in .elu(alpha: try node.float("alpha", default: 1)) },
    unary("Selu", since: 6) { node in
        .selu(alpha: try node.float("alpha", default: 1.67326319217681884765625),
              gamma: try node.float("gamma", default: 1.05070102214813232421875))
    },
    unary("Gelu", since: 20) { node in
        switch try node.string("approximate", default: "none") {
        case "none": return .geluExact
        case "tanh": return .geluTanh
        case let other: throw OperatorError("approximate '\(other)' is not supported; use 'none' or 'tanh'")
        }
    },
    signed("Abs") { Swift.abs($0) },
    signed("Neg") { -$0 },
    OperatorDefinition(opType: "IsNaN", opsets: since(9)) { context in
        let input = try context.floatInput(0)
        return CompiledNode(operation: ClassifyNode(test: { $0.isNaN }), outputs: [ValueInfo(elementType: .bool, shape: input.shape)])
    },
    OperatorDefinition(opType: "IsInf", opsets: since(10)) { context in
        let input = try context.floatInput(0)
        let negative = try context.node.int("detect_negative", default: 1) != 0
        let positive = try context.node.int("detect_positive", default: 1) != 0
        return CompiledNode(
            operation: ClassifyNode(test: { $0.isInfinite && ($0 > 0 ? positive : negative) }),
            outputs: [ValueInfo(elementType: .bool, shape: input.shape)]
        )
    },
    OperatorDefinition(opType: "Clip", opsets: 6...10, compile: compileClipWithAttributes),
    OperatorDefinition(opType: "Clip", opsets: since(11), compile: compileClipWithInputs),
    OperatorDefinition(opType: "PRelu", opsets: since(7)) { context in
        let x = try context.floatInput(0)
        let slope = try context.floatInput(1)
        let shape = try broadcastDimensions([x.shape, slope.shape])
        return CompiledNode(operation: PReluNode(), outputs: [ValueInfo(elementType: .float, shape: shape)])
    },
]

private func unary(
    _ opType: String, since first: Int, _ function: @escaping @Sendable (OperatorNode) throws -> UnaryFunction
) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(first)) { context in
        let input = try context.input(0, ofType: [.float, .double])
        let function = try function(context.node)
        return CompiledNode(
            operation: input.elementType == .double ? DoubleUnaryNode(function: function) : UnaryNode(function: function),
            outputs: [ValueInfo(elementType: input.elementType, shape: input.shape)]
        )
    }
}

/// A compiled function over a double tensor, evaluated in double precision through libm.
struct DoubleUnaryNode: CompiledOperator {
    let function: UnaryFunction

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try map(inputs[0], Double.self, into: &outputs[0], filler: 0) { function.apply(double: $0) }
    }
}

/// A compiled float function over the whole input.
struct UnaryNode: CompiledOperator {
    let function: UnaryFunction

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let values = try inputs[0].values(Float.self)
        outputs[0].withMutableFloats(shape: inputs[0].shape) { output in
            values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in function.apply(input, into: output) }
            }
        }
    }
}

/// `Abs` and `Neg`, which models also apply to doubles and integers.
private func signed(_ opType: String, _ function: @escaping @Sendable (Double) -> Double) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: since(6)) { context in
        let input = try context.input(0, ofType: [.float, .double, .int64, .int32])
        let operation: any CompiledOperator
        switch input.elementType {
        case .float: operation = UnaryNode(function: opType == "Abs" ? .abs : .negate)
        default:
            operation = SignedNode(elementType: input.elementType, negate: opType == "Neg")
        }
        return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: input.elementType, shape: input.shape)])
    }
}

struct SignedNode: CompiledOperator {
    let elementType: ElementType
    let negate: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let negate = self.negate
        switch elementType {
        case .double: try map(inputs[0], Double.self, into: &outputs[0], filler: 0) { negate ? -$0 : Swift.abs($0) }
        // Integer minimums have no positive counterpart; wrapping matches two's-complement C.
        case .int64: try map(inputs[0], Int64.self, into: &outputs[0], filler: 0) { negate ? 0 &- $0 : ($0 < 0 ? 0 &- $0 : $0) }
        case .int32: try map(inputs[0], Int32.self, into: &outputs[0], filler: 0) { negate ? 0 &- $0 : ($0 < 0 ? 0 &- $0 : $0) }
        default: throw OperatorError("\(elementType) is not supported")
        }
    }
}

/// A float predicate producing a bool tensor (`IsNaN`, `IsInf`).
struct ClassifyNode: CompiledOperator {
    let test: @Sendable (Float) -> Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try map(inputs[0], Float.self, into: &outputs[0], filler: false, test)
    }
}

private func compileClipWithAttributes(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.floatInput(0)
    let low = try context.node.float("min", default: -.greatestFiniteMagnitude)
    let high = try context.node.float("max", default: .greatestFiniteMagnitude)
    return CompiledNode(operation: UnaryNode(function: .clip(min: low, max: high)), outputs: [ValueInfo(elementType: .float, shape: input.shape)])
}

private func compileClipWithInputs(_ context: OperatorContext) throws -> CompiledNode {
    let input = try context.floatInput(0)
    let output = ValueInfo(elementType: .float, shape: input.shape)
    var bounds: [Float?] = [nil, nil]
    var computed = false
    for index in 1...2 {
        guard let bound = context.input(index) else { continue }
        _ = try context.floatInput(index)
        guard bound.shape == nil || bound.rank == 0 || bound.shape == [.fixed(1)] else {
            throw OperatorError("Clip's bound \(index) must be a scalar")
        }
        if let constant = bound.constant { bounds[index - 1] = try constant.values(Float.self).first } else { computed = true }
    }
    if computed { return CompiledNode(operation: ComputedClipNode(), outputs: [output]) }
    let function = UnaryFunction.clip(min: bounds[0] ?? -.greatestFiniteMagnitude, max: bounds[1] ?? .greatestFiniteMagnitude)
    return CompiledNode(operation: UnaryNode(function: function), outputs: [output])
}

/// `Clip` whose bounds are computed at predict time.
struct ComputedClipNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        func bound(_ index: Int, _ fallback: Float) throws -> Float {
            guard index < inputs.count, inputs[index].count > 0 else { return fallback }
            return try inputs[index].values(Float.self)[0]
        }
        let function = UnaryFunction.clip(min: try bound(1, -.greatestFiniteMagnitude), max: try bound(2, .greatestFiniteMagnitude))
        try UnaryNode(function: function).run([inputs[0]], &outputs)
    }
}

/// `PRelu`: `x < 0 ? slope·x : x` with the slope broadcast to x.
struct PReluNode: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try broadcast(inputs[0], inputs[1], Float.self, into: &outputs[0], filler: 0) { $0 < 0 ? $0 * $1 : $0 }
    }
}
