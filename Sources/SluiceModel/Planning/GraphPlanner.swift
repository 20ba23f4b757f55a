import SluiceKernels

/// A model's graph validated, compiled and laid out: what ``Model`` keeps.
struct PlannedGraph {
    var inputs: [ModelValue]
    var outputs: [ModelValue]
    var plan: ExecutionPlan
}

/// Turns a parsed model into an ``ExecutionPlan``: decodes initializers and nodes, sorts the nodes
/// topologically, compiles each through the registry, folds constants and assigns buffer slots.
///
/// Every problem is collected before failing, so the error lists each unsupported or invalid node.
struct GraphPlanner {
    private let parsed: ParsedModel
    private let options: ModelOptions
    private var problems: [ModelProblem] = []
    /// What is known of each value by name; `nil` info marks a value whose producer failed, whose
    /// consumers are then skipped without repeating the failure.
    private var values: [String: ValueInfo?] = [:]
    private var nodes: [OperatorNode] = []
    private var references: [NodeReference] = []
    /// The compiled nodes that run at predict time, in execution order.
    private var runtimeNodes: [RuntimeNode] = []
    private var modelInputs: [ModelValue] = []

    static func plan(_ parsed: ParsedModel, options: ModelOptions) throws -> PlannedGraph {
        var planner = GraphPlanner(parsed: parsed, options: options)
        return try planner.plan()
    }

    private init(parsed: ParsedModel, options: ModelOptions) {
        self.parsed = parsed
        self.options = options
    }

    private mutating func plan() throws -> PlannedGraph {
        let graph = parsed.graph
        readInitializers(graph)
        readInputs(graph)
        let decodable = readNodes(graph)
        if let order = topologicalOrder(decodable: decodable) {
            for index in order { compile(node: index) }
        }
        // Outputs of nodes that could not even be decoded or sorted are unknown, not missing: their
        // failure is reported already.
        for node in nodes {
            for output in node.outputs where !output.isEmpty && values[output] == nil { values[output] = .some(nil) }
        }
        let outputs = readOutputs(graph)
        guard problems.isEmpty else {
            throw ModelLoadError(source: parsed.source, problems: problems)
        }
        runtimeNodes = DenseLayerFusion.fuse(runtimeNodes, values: values, graphOutputs: Set(outputs.map(\.name)))
        let plan = SlotLayout.plan(runtimeNodes, values: values, inputs: modelInputs, outputs: outputs, references: references)
        return PlannedGraph(inputs: modelInputs, outputs: outputs, plan: plan)
    }

    private mutating func fail(_ reason: String, node: Int? = nil) {
        problems.append(ModelProblem(reason, node: node.map { references[$0] }))
    }

    private mutating func readInitializers(_ graph: Onnx_GraphProto) {
        if !graph.sparseInitializer.isEmpty {
            fail("the graph has \(graph.sparseInitializer.count) sparse initializers, which Sluice does not support")
        }
        for initializer in graph.initializer {
            guard !initializer.name.isEmpty else {
                fail("an initializer has no name")
                continue
            }
            guard values[initializer.name] == nil else {
                fail("initializer '\(initializer.name)' is defined twice")
                continue
            }
            do {
                values[initializer.name] = ValueInfo(constant: try Tensor(onnx: initializer))
            } catch let failure as DecodingFailure {
                fail("initializer '\(initializer.name)': \(failure.reason)")
                values[initializer.name] = .some(nil)
            } catch {
                fail("initializer '\(initializer.name)': \(error)")
                values[initializer.name] = .some(nil)
            }
        }
    }

    private mutating func readInputs(_ graph: Onnx_GraphProto) {
        for input in graph.input {
            // Before IR version 4 initializers were listed among the inputs too; they stay constants.
            if values[input.name] != nil { continue }
            do {
                var info = try ValueInfo(onnx: input)
                if ValueInfo.isSequenceOfMaps(input) {
                    throw DecodingFailure("it is a sequence of maps, which Sluice does not accept as input")
                }
                if options.dynamicBatch, var shape = info.shape, shape.count >= 2, shape[0].fixedSize != nil {
                    shape[0] = .dynamic(nil)
                    info.shape = shape
                }
                values[input.name] = info
                modelInputs.append(ModelValue(name: input.name, info: info))
            } catch let failure as DecodingFailure {
                fail("graph input '\(input.name)': \(failure.reason)")
                values[input.name] = .some(nil)
            } catch {
                fail("graph input '\(input.name)': \(error)")
                values[input.name] = .some(nil)
            }
        }
    }

    /// Converts the nodes and checks that each value is produced once; returns which nodes decoded.
    private mutating func readNodes(_ graph: Onnx_GraphProto) -> [Bool] {
        var decodable: [Bool] = []
        var producers: [String: Int] = [:]
        for (index, proto) in graph.node.enumerated() {
            var attributeProblems: [String] = []
            let node = OperatorNode(onnx: proto, index: index, problems: &attributeProblems)
            nodes.append(node)
            references.append(NodeReference(name: node.name, opType: node.opType, domain: node.domain, opset: parsed.opsets[node.domain]))
            for problem in attributeProblems { fail(problem, node: index) }
            var ok = attributeProblems.isEmpty
            if !ParsedModel.supportedDomains.contains(node.domain) {
                fail("domain \(node.domain) is not supported (Sluice supports ai.onnx and ai.onnx.ml)", node: index)
                ok = false
            } else if parsed.opsets[node.domain] == nil {
                fail("the model does not import an opset for domain \(node.domain)", node: index)
                ok = false
            }
            for output in node.outputs where !output.isEmpty {
                if let earlier = producers[output] {
                    fail("value '\(output)' is also produced by \(references[earlier])", node: index)
                    ok = false
                } else if values[output] != nil {
                    fail("value '\(output)' is also a graph input or initializer", node: index)
                    ok = false
                } else {
                    producers[output] = index
                }
            }
            decodable.append(ok)
        }
        return decodable
    }

    /// Kahn's algorithm, keeping the file's order among ready nodes; `nil` when the graph is invalid.
    private mutating func topologicalOrder(decodable: [Bool]) -> [Int]? {
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty { producer[output] = producer[output] ?? index }
        }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        var pending = [Int](repeating: 0, count: nodes.count)
        var valid = true
        for (index, node) in nodes.enumerated() {
            for input in Set(node.inputs) where !input.isEmpty {
                if let source = producer[input] {
                    consumers[source].append(index)
                    pending[index] += 1
                } else if values[input] == nil {
                    fail("it reads '\(input)', which no node, graph input or initializer produces", node: index)
                    valid = false
                }
            }
        }
        var ready = (0..<nodes.count).filter { pending[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        while let next = ready.popLast() {
            order.append(next)
            var released: [Int] = []
            for consumer in consumers[next] {
                pending[consumer] -= 1
                if pending[consumer] == 0 { released.append(consumer) }
            }
            ready.append(contentsOf: released)
            ready.sort(by: >)
        }
        if order.count < nodes.count {
            let cyclic = (0..<nodes.count).filter { pending[$0] > 0 }.map { "'\(nodes[$0].name)'" }
            fail("the graph has a cycle through nodes \(cyclic.joined(separator: ", "))")
            valid = false
        }
        guard valid else { return nil }
        return order.filter { decodable[$0] }
    }

    private mutating func compile(node index: Int) {
        let node = nodes[index]
        guard let opset = parsed.opsets[node.domain],
              let definition = options.registry.definition(domain: node.domain, opType: node.opType, opset: opset) else {
            let supported = options.registry.supportedOpsets(domain: node.domain, opType: node.opType)
            if supported.isEmpty {
                fail("operator \(node.opType) is not supported by Sluice", node: index)
            } else {
                let ranges = supported.map { "\($0.lowerBound)...\($0.upperBound)" }.joined(separator: ", ")
                fail("Sluice implements \(node.opType) for opsets \(ranges), not the imported \(parsed.opsets[node.domain].map(String.init) ?? "none")", node: index)
            }
            markUnknown(node.outputs)
            return
        }
        var inputs: [ValueInfo?] = []
        for name in node.inputs {
            if name.isEmpty {
                inputs.append(nil)
                continue
            }
            // An input whose producer failed cannot be described; that failure is already reported.
            guard let known = values[name], let info = known else {
                markUnknown(node.outputs)
                return
            }
            inputs.append(info)
        }
        let compiled: CompiledNode
        do {
            compiled = try definition.compile(OperatorContext(node: node, inputs: inputs, opset: opset))
        } catch {
            fail("\(error)", node: index)
            markUnknown(node.outputs)
            return
        }
        guard compiled.outputs.count == node.outputs.count else {
            fail("its operator described \(compiled.outputs.count) outputs for the node's \(node.outputs.count)", node: index)
            markUnknown(node.outputs)
            return
        }
        var outputs = compiled.outputs
        if outputs.contains(where: { $0.constant == nil }), !inputs.isEmpty,
           inputs.allSatisfy({ $0 == nil || $0?.constant != nil }) {
            guard let folded = fold(compiled, inputs: inputs, node: index) else {
                markUnknown(node.outputs)
                return
            }
            outputs = folded
        }
        if outputs.contains(where: { $0.constant == nil }) {
            runtimeNodes.append(RuntimeNode(index: index, operation: compiled.operation, inputs: node.inputs, outputs: node.outputs))
        }
        for (name, info) in zip(node.outputs, outputs) where !name.isEmpty {
            values[name] = info
        }
    }

    /// Runs a node whose inputs are all known at load time, so predictions never run it.
    private mutating func fold(_ compiled: CompiledNode, inputs: [ValueInfo?], node index: Int) -> [ValueInfo]? {
        var results = [Tensor](repeating: .empty, count: compiled.outputs.count)
        do {
            try compiled.operation.run(inputs.map { $0?.constant ?? .empty }, &results)
        } catch {
            fail("it fails on its constant inputs: \(error)", node: index)
            return nil
        }
        return zip(compiled.outputs, results).map { declared, tensor in
            var info = ValueInfo(constant: tensor)
            info.mapKeys = declared.mapKeys
            return info
        }
    }

    private mutating func markUnknown(_ names: [String]) {
        for name in names where !name.isEmpty { values[name] = .some(nil) }
    }

    private mutating func readOutputs(_ graph: Onnx_GraphProto) -> [ModelValue] {
        var outputs: [ModelValue] = []
        for output in graph.output {
            guard let known = values[output.name] else {
                fail("graph output '\(output.name)' is not produced by any node, input or initializer")
                continue
            }
            guard var info = known else { continue }
            if info.shape == nil, let declared = try? ValueInfo(onnx: output), declared.elementType == info.elementType {
                info.shape = declared.shape
            }
            outputs.append(ModelValue(name: output.name, info: info))
        }
        return outputs
    }
}
