import SluiceKernels

/// `Constant`, `ConstantOfShape`, `Cast` and `CastLike`.
let constantOperators: [OperatorDefinition] = [
    OperatorDefinition(opType: "Constant", opsets: since(1), compile: compileConstant),
    OperatorDefinition(opType: "ConstantOfShape", opsets: since(9), compile: compileConstantOfShape),
    OperatorDefinition(opType: "Cast", opsets: since(6)) { context in
        try compileCast(context, to: try elementType(ofCode: context.node.int("to")))
    },
    OperatorDefinition(opType: "CastLike", opsets: since(15)) { context in
        try compileCast(context, to: try context.requiredInput(1).elementType)
    },
]

/// The element type of an ONNX `TensorProto.DataType` code, for the types Sluice holds.
func elementType(ofCode code: Int64) throws -> ElementType {
    switch code {
    case 1: return .float
    case 6: return .int32
    case 7: return .int64
    case 8: return .string
    case 9: return .bool
    case 11: return .double
    default: throw OperatorError("data type \(code) is not supported (float, double, int64, int32, bool, string are)")
    }
}

private func compileConstant(_ context: OperatorContext) throws -> CompiledNode {
    let node = context.node
    let value: Tensor
    if node.hasAttribute("value") {
        value = try node.tensor("value")
    } else if node.hasAttribute("value_float") {
        value = Tensor(shape: [], floats: [try node.float("value_float")])
    } else if node.hasAttribute("value_floats") {
        let values = try node.floats("value_floats")
        value = Tensor(shape: [values.count], floats: values)
    } else if node.hasAttribute("value_int") {
        value = Tensor(shape: [], int64s: [try node.int("value_int")])
    } else if node.hasAttribute("value_ints") {
        let values = try node.ints("value_ints")
        value = Tensor(shape: [values.count], int64s: values)
    } else if node.hasAttribute("value_string") {
        value = Tensor(shape: [], strings: [try node.string("value_string")])
    } else if node.hasAttribute("value_strings") {
        let values = try node.strings("value_strings")
        value = Tensor(shape: [values.count], strings: values)
    } else {
        throw OperatorError("Constant needs a value attribute (sparse_value is not supported)")
    }
    return CompiledNode(operation: ConstantNode(value: value), outputs: [ValueInfo(constant: value)])
}

struct ConstantNode: CompiledOperator {
    let value: Tensor

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws { outputs[0] = value }
}

private func compileConstantOfShape(_ context: OperatorContext) throws -> CompiledNode {
    _ = try context.input(0, ofType: [.int64])
    let value = context.node.hasAttribute("value") ? try context.node.tensor("value") : Tensor(shape: [1], floats: [0])
    guard value.count == 1 else { throw OperatorError("value must hold exactly one element") }
    guard value.elementType != .string else { throw OperatorError("string values are not supported") }
    var shape: [Dimension]?
    if let sizes = try context.constantIntegers(0) { shape = sizes.map(Dimension.fixed) }
    else if let count = context.input(0)?.shape?.first?.fixedSize { shape = Array(repeating: .dynamic(nil), count: count) }
    return CompiledNode(operation: ConstantOfShapeNode(value: value), outputs: [ValueInfo(elementType: value.elementType, shape: shape)])
}

struct ConstantOfShapeNode: CompiledOperator {
    let value: Tensor

    private struct Fill: Rearrangement {
        func apply<T>(_ input: UnsafeBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>) {
            output.update(repeating: input[0])
        }
    }

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = try OperatorContext.integers(of: inputs[0])
        guard shape.allSatisfy({ $0 >= 0 }) else { throw OperatorError("shape \(shape) has a negative dimension") }
        rearrange(value, shape: shape, into: &outputs[0], Fill())
    }
}

private func compileCast(_ context: OperatorContext, to target: ElementType) throws -> CompiledNode {
    let input = try context.input(0, ofType: [.float, .double, .int64, .int32, .bool])
    guard target != .string else { throw OperatorError("casting to string is not supported") }
    let output = ValueInfo(elementType: target, shape: input.shape)
    if input.elementType == target { return CompiledNode(operation: ViewNode { $0[0].shape }, outputs: [output]) }
    return CompiledNode(operation: CastNode(target: target), outputs: [output])
}

struct CastNode: CompiledOperator {
    let target: ElementType

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        try cast(inputs[0], to: target, into: &outputs[0])
    }
}
