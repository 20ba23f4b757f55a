import SluiceKernels
import SluiceModel
import Testing

/// One `ai.onnx.ml` node with inputs and the outputs onnxruntime computed for them.
struct OperatorReferenceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var opType: String
    var opset: Int
    var attributes: [String: AttributeValue]
    var inputs: [Tensor]
    var expected: [Tensor]

    var testDescription: String { name }

    /// Compiles the node through the standard registry, with the inputs' types and a dynamic batch.
    func compile() throws -> CompiledNode {
        let node = OperatorNode(
            name: name, opType: opType, domain: "ai.onnx.ml",
            inputs: inputs.indices.map { "input\($0)" }, outputs: expected.indices.map { "output\($0)" },
            attributes: attributes
        )
        let definition = try #require(
            OperatorRegistry.standard.definition(domain: "ai.onnx.ml", opType: opType, opset: opset)
        )
        let infos = inputs.map { tensor in
            ValueInfo(
                elementType: tensor.elementType,
                shape: tensor.shape.enumerated().map { $0.offset == 0 && tensor.rank > 1 ? .dynamic("N") : .fixed($0.element) }
            )
        }
        return try definition.compile(OperatorContext(node: node, inputs: infos, opset: opset))
    }

    /// Compiles and runs the node, then checks every output against onnxruntime's.
    func check() throws {
        let compiled = try compile()
        var outputs = [Tensor](repeating: .empty, count: expected.count)
        try compiled.operation.run(inputs, &outputs)
        for (index, (actual, reference)) in zip(outputs, expected).enumerated() {
            expectClose(actual, reference, "output \(index)")
        }
    }
}

/// Expects equal shapes and types, exact integers and strings, and reals within a relative error of 1e-5
/// (or 1e-6 absolute near zero); NaN matches NaN.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(what): shape", sourceLocation: sourceLocation)
    #expect(actual.elementType == expected.elementType, "\(what): element type", sourceLocation: sourceLocation)
    func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= max(1e-6, 1e-5 * abs(b))
    }
    switch (actual.storage, expected.storage) {
    case (.float(let a), .float(let b)):
        let mismatches = zip(a, b).enumerated().filter { !close(Double($0.element.0), Double($0.element.1)) }
        #expect(mismatches.isEmpty, "\(what): \(mismatches.prefix(4).map { "[\($0.offset)] \($0.element.0) ≠ \($0.element.1)" })", sourceLocation: sourceLocation)
    case (.double(let a), .double(let b)):
        let mismatches = zip(a, b).enumerated().filter { !close($0.element.0, $0.element.1) }
        #expect(mismatches.isEmpty, "\(what): \(mismatches.prefix(4).map { "[\($0.offset)] \($0.element.0) ≠ \($0.element.1)" })", sourceLocation: sourceLocation)
    case (.int64(let a), .int64(let b)):
        #expect(a == b, "\(what)", sourceLocation: sourceLocation)
    case (.string(let a), .string(let b)):
        #expect(a == b, "\(what)", sourceLocation: sourceLocation)
    case (.bool(let a), .bool(let b)):
        #expect(a == b, "\(what)", sourceLocation: sourceLocation)
    case (.int32(let a), .int32(let b)):
        #expect(a == b, "\(what)", sourceLocation: sourceLocation)
    default:
        Issue.record("\(what): \(actual.elementType) is not \(expected.elementType)", sourceLocation: sourceLocation)
    }
}
