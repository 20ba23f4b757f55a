import SluiceKernels
import Testing
@testable import SluiceModel

/// `MatMul(X, W) + b → activation` planned as separate nodes and through ``DenseLayerFusion``.
@Suite struct DenseLayerFusionTests {
    private let x = Tensor.ramp([13, 5], start: -2, step: 0.07)
    private let weights = Tensor.ramp([5, 19], start: -1, step: 0.021)
    private let bias = Tensor.ramp([1, 19], start: -0.5, step: 0.05)
    /// A stand-in of the product's shape, to compile the nodes that read it.
    private let product = Tensor.ramp([13, 19])

    private func values(productShape: [Dimension] = [.dynamic(nil), .fixed(19)]) -> [String: ValueInfo?] {
        [
            "x": ValueInfo(elementType: .float, shape: [.dynamic(nil), .fixed(5)]),
            "w": ValueInfo(constant: weights),
            "b": ValueInfo(constant: bias),
            "product": ValueInfo(elementType: .float, shape: productShape),
            "sum": ValueInfo(elementType: .float, shape: [.dynamic(nil), .fixed(19)]),
            "y": ValueInfo(elementType: .float, shape: [.dynamic(nil), .fixed(19)]),
        ]
    }

    private func layer(_ activation: String) throws -> [RuntimeNode] {
        [
            RuntimeNode(index: 0, operation: try compileNode("MatMul", [.computed(x), .constant(weights)]).operation, inputs: ["x", "w"], outputs: ["product"]),
            RuntimeNode(index: 1, operation: try compileNode("Add", [.computed(product), .constant(bias)]).operation, inputs: ["product", "b"], outputs: ["sum"]),
            RuntimeNode(index: 2, operation: try compileNode(activation, [.computed(product)]).operation, inputs: ["sum"], outputs: ["y"]),
        ]
    }

    /// Runs `nodes` in order on named values.
    private func run(_ nodes: [RuntimeNode]) throws -> [String: Tensor] {
        var tensors = ["x": x, "w": weights, "b": bias]
        for node in nodes {
            var outputs = [Tensor](repeating: .empty, count: node.outputs.count)
            try node.operation.run(node.inputs.map { tensors[$0]! }, &outputs)
            for (name, tensor) in zip(node.outputs, outputs) { tensors[name] = tensor }
        }
        return tensors
    }

    @Test(arguments: ["Relu", "Sigmoid", "Tanh", "LeakyRelu"])
    func matMulBiasAndActivationBecomeOneStepWithTheSameResult(_ activation: String) throws {
        let nodes = try layer(activation)
        let fused = DenseLayerFusion.fuse(nodes, values: values(), graphOutputs: ["y"])
        #expect(fused.count == 1)
        #expect(fused[0].inputs == ["x", "w"])
        #expect(fused[0].outputs == ["y"])
        let expected = try run(nodes)["y"]!
        let actual = try run(fused)["y"]!
        #expect(actual.shape == [13, 19])
        #expect(isClose(actual.floats, expected.floats!, tolerance: 1e-6))
    }

    @Test func gemmAndAFollowingActivationBecomeOneStep() throws {
        let gemm = try compileNode("Gemm", [.computed(x), .constant(weights), .constant(.ramp([19]))]).operation
        let nodes = [
            RuntimeNode(index: 0, operation: gemm, inputs: ["x", "w", "c"], outputs: ["product"]),
            RuntimeNode(index: 1, operation: try compileNode("Relu", [.computed(product)]).operation, inputs: ["product"], outputs: ["y"]),
        ]
        let fused = DenseLayerFusion.fuse(nodes, values: values(), graphOutputs: ["y"])
        #expect(fused.count == 1)
        #expect(fused[0].outputs == ["y"])
        let inputs = [x, weights, Tensor.ramp([19])]
        var product = [Tensor.empty], separate = [Tensor.empty], together = [Tensor.empty]
        try gemm.run(inputs, &product)
        try nodes[1].operation.run(product, &separate)
        try fused[0].operation.run(inputs, &together)
        #expect(together[0].floats == separate[0].floats)
    }

    @Test func aValueSomethingElseReadsIsNotFusedAway() throws {
        var nodes = try layer("Relu")
        nodes.append(RuntimeNode(index: 3, operation: try compileNode("Relu", [.computed(product)]).operation, inputs: ["sum"], outputs: ["z"]))
        let fused = DenseLayerFusion.fuse(nodes, values: values(), graphOutputs: ["y", "z"])
        // The bias add folds into the product; both activations read the sum, so neither folds.
        #expect(fused.map(\.outputs) == [["sum"], ["y"], ["z"]])
        let outputs = DenseLayerFusion.fuse(try layer("Relu"), values: values(), graphOutputs: ["y", "product"])
        #expect(outputs.count == 3)
    }

    @Test func aBiasThatWouldWidenTheProductIsNotFolded() throws {
        // A rank-1 product ([19]) plus a [1, 19] bias is a [1, 19] matrix: not the product's shape.
        let fused = DenseLayerFusion.fuse(try layer("Relu"), values: values(productShape: [.fixed(19)]), graphOutputs: ["y"])
        #expect(fused.map(\.outputs) == [["product"], ["sum"], ["y"]])
    }
}
