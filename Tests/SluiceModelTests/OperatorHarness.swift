import SluiceKernels
@testable import SluiceModel

/// An input of a node under test: its value, and whether the model makes it a load-time constant.
struct NodeInput {
    var value: Tensor?
    var isConstant = false
    /// The dimensions the compiler is told about, when they differ from the value's (to test dynamic batches).
    var declaredShape: [Dimension]?

    static func computed(_ value: Tensor, declaredShape: [Dimension]? = nil) -> NodeInput {
        NodeInput(value: value, isConstant: false, declaredShape: declaredShape)
    }
    static func constant(_ value: Tensor) -> NodeInput { NodeInput(value: value, isConstant: true) }
    static let omitted = NodeInput(value: nil)
}

/// Compiles one `ai.onnx` node through `OperatorRegistry.standard`, as the loader would.
func compileNode(
    _ opType: String,
    opset: Int = 21,
    _ inputs: [NodeInput],
    attributes: [String: AttributeValue] = [:],
    outputs: Int = 1
) throws -> CompiledNode {
    guard let definition = OperatorRegistry.standard.definition(domain: "ai.onnx", opType: opType, opset: opset) else {
        throw OperatorError("no definition of \(opType) at opset \(opset)")
    }
    let node = OperatorNode(
        name: "test", opType: opType, domain: "ai.onnx",
        inputs: inputs.enumerated().map { $0.element.value == nil ? "" : "x\($0.offset)" },
        outputs: (0..<outputs).map { "y\($0)" }, attributes: attributes
    )
    let infos: [ValueInfo?] = inputs.map { input in
        guard let value = input.value else { return nil }
        if input.isConstant { return ValueInfo(constant: value) }
        return ValueInfo(elementType: value.elementType, shape: input.declaredShape ?? value.shape.map(Dimension.fixed))
    }
    return try definition.compile(OperatorContext(node: node, inputs: infos, opset: opset))
}

/// Compiles and runs one node, returning its outputs.
func runNode(
    _ opType: String,
    opset: Int = 21,
    _ inputs: [NodeInput],
    attributes: [String: AttributeValue] = [:],
    outputs: Int = 1
) throws -> [Tensor] {
    let compiled = try compileNode(opType, opset: opset, inputs, attributes: attributes, outputs: outputs)
    var results = Array(repeating: Tensor.empty, count: outputs)
    try compiled.operation.run(inputs.map { $0.value ?? .empty }, &results)
    return results
}

/// Whether two float arrays agree within `tolerance`, relative to magnitudes above 1.
func isClose(_ actual: [Float]?, _ expected: [Float], tolerance: Float = 1e-5) -> Bool {
    guard let actual, actual.count == expected.count else { return false }
    return zip(actual, expected).allSatisfy { a, e in
        (a.isNaN && e.isNaN) || Swift.abs(a - e) <= tolerance * Swift.max(1, Swift.abs(e))
    }
}

extension Tensor {
    static func floats(_ shape: [Int], _ values: [Float]) -> Tensor { Tensor(shape: shape, floats: values) }
    static func int64s(_ shape: [Int], _ values: [Int64]) -> Tensor { Tensor(shape: shape, int64s: values) }
    /// `count` floats `start, start + step, …` in shape `shape`.
    static func ramp(_ shape: [Int], start: Float = 0, step: Float = 1) -> Tensor {
        Tensor(shape: shape, floats: (0..<shape.reduce(1, *)).map { start + Float($0) * step })
    }
}
