import SluiceKernels

/// A compiled node that runs at predict time, with the values it reads and writes by name.
///
/// Usually one node of the graph; after ``DenseLayerFusion`` a step may stand for several, reading
/// the first one's inputs and writing the last one's outputs.
struct RuntimeNode {
    /// The graph node named in error messages: the first of a fused chain.
    var index: Int
    var operation: any CompiledOperator
    var inputs: [String]
    var outputs: [String]
}

/// Folds the bias `Add` and the activation that follow a dense product into the product itself,
/// so that a whole layer — `MatMul` + `Add` (+ `Relu`, `Sigmoid`, `Tanh`, `LeakyRelu`, `Gelu`), or
/// `Gemm` + activation — is one GEMM call that adds the bias and applies the activation while each
/// output block is still in cache, instead of three passes over the output.
///
/// A node is folded only when the value between it and the product has no other reader and is not
/// a graph output, and a bias only when it is a constant row (`[C]` or `[1, C]`) that does not
/// change the product's shape. The fused step computes what the nodes computed, up to the
/// rounding of adding the bias before rather than after the products.
enum DenseLayerFusion {
    static func fuse(_ nodes: [RuntimeNode], values: [String: ValueInfo?], graphOutputs: Set<String>) -> [RuntimeNode] {
        var readers: [String: [Int]] = [:]
        for (position, node) in nodes.enumerated() {
            for input in Set(node.inputs) where !input.isEmpty { readers[input, default: []].append(position) }
        }
        /// The position of the only node reading `name`, when nothing else (the caller included) does.
        func soleReader(of name: String) -> Int? {
            guard !graphOutputs.contains(name), let positions = readers[name], positions.count == 1 else { return nil }
            return positions[0]
        }

        var folded = Set<Int>()
        var result: [RuntimeNode] = []
        for (position, node) in nodes.enumerated() where !folded.contains(position) {
            var fused = node
            if var product = node.operation as? PackedMatMul, !product.bIsVector, product.bias == nil,
               let reader = soleReader(of: node.outputs[0]),
               let bias = biasRow(of: nodes[reader], adding: node.outputs[0], columns: product.packed.columns, values: values) {
                product.bias = bias
                fused.operation = product
                fused.outputs = nodes[reader].outputs
                folded.insert(reader)
            }
            if let reader = soleReader(of: fused.outputs[0]),
               let unary = nodes[reader].operation as? UnaryNode,
               let activation = FusedActivation(unary.function),
               let withActivation = fused.operation.withActivation(activation) {
                fused.operation = withActivation
                fused.outputs = nodes[reader].outputs
                folded.insert(reader)
            }
            result.append(fused)
        }
        return result
    }

    /// The bias `node` adds to the product `product`, when `node` is a float `Add` of the product
    /// and a constant `[C]` or `[1, C]` row whose rank does not exceed the product's.
    private static func biasRow(of node: RuntimeNode, adding product: String, columns: Int, values: [String: ValueInfo?]) -> [Float]? {
        guard let add = node.operation as? ArithmeticNode, add.operation == .add, add.elementType == .float, !add.mean,
              node.inputs.count == 2, node.inputs.filter({ $0 == product }).count == 1,
              let other = node.inputs.first(where: { $0 != product }),
              let known = values[other], let constant = known?.constant,
              let productRank = values[product]??.shape?.count,
              constant.rank <= productRank, constant.shape.last == columns,
              constant.shape.dropLast().allSatisfy({ $0 == 1 }),
              let floats = constant.floats else { return nil }
        return floats
    }
}

extension CompiledOperator {
    /// This operation with `activation` applied to its output, when it can fuse one.
    fileprivate func withActivation(_ activation: FusedActivation) -> (any CompiledOperator)? {
        if var product = self as? PackedMatMul, product.activation == .none, !product.bIsVector {
            product.activation = activation
            return product
        }
        if var product = self as? GemmOperation, product.activation == .none, product.addendScale == nil {
            product.activation = activation
            return product
        }
        return nil
    }
}
