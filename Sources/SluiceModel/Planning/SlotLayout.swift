import SluiceKernels

/// The slot assignment being built: which slot holds which live value, and which slots are free.
struct SlotLayout {
    var tensors: [Tensor] = []
    var slot: [String: Int] = [:]
    private var types: [ElementType] = []
    private var constants: Set<Int> = []
    private var free: [Int] = []

    /// A slot for a value computed at predict time, reusing a free slot that last held the same
    /// element type so its storage can be reused as is.
    mutating func allocate(_ name: String?, type: ElementType) -> Int {
        let index: Int
        if let position = free.lastIndex(where: { types[$0] == type }) {
            index = free.remove(at: position)
        } else {
            index = tensors.count
            tensors.append(.empty)
            types.append(type)
        }
        if let name { slot[name] = index }
        return index
    }

    mutating func place(_ name: String, constant: Tensor) -> Int {
        let index = tensors.count
        tensors.append(constant)
        types.append(constant.elementType)
        constants.insert(index)
        slot[name] = index
        return index
    }

    func isConstant(_ slot: Int) -> Bool { constants.contains(slot) }

    mutating func release(_ name: String) {
        guard let index = slot[name] else { return }
        release(slot: index, name: name)
    }

    mutating func release(slot index: Int, name: String) {
        guard !constants.contains(index) else { return }
        if !name.isEmpty { slot[name] = nil }
        free.append(index)
    }
}

extension SlotLayout {
    /// Lays out the compiled `runtimeNodes` in execution order: assigns every value a slot,
    /// sharing slots between values whose lifetimes do not overlap, and places the constants they
    /// read.
    static func plan(
        _ runtimeNodes: [RuntimeNode],
        values: [String: ValueInfo?],
        inputs modelInputs: [ModelValue],
        outputs: [ModelValue],
        references: [NodeReference]
    ) -> ExecutionPlan {
        var lastUse: [String: Int] = [:]
        for (step, entry) in runtimeNodes.enumerated() {
            for input in entry.inputs where !input.isEmpty { lastUse[input] = step }
        }
        for output in outputs { lastUse[output.name] = Int.max }

        var layout = SlotLayout()
        let inputSlots = modelInputs.map { layout.allocate($0.name, type: $0.info.elementType) }
        var steps: [ExecutionPlan.Step] = []
        var stepSlots: [Int] = []
        for (step, node) in runtimeNodes.enumerated() {
            let inputSlots = node.inputs.map { name -> Int in
                guard !name.isEmpty else { return -1 }
                if let slot = layout.slot[name] { return slot }
                return layout.place(name, constant: values[name]!!.constant!)
            }
            let outputSlots = node.outputs.map { name in
                layout.allocate(name.isEmpty ? nil : name, type: values[name]??.elementType ?? .float)
            }
            let firstInputDies = node.inputs.first.map { !$0.isEmpty && lastUse[$0] == step } ?? false
            let returnsBuffer = node.operation.isView && firstInputDies && !outputSlots.isEmpty
                && !layout.isConstant(inputSlots[0])
            for name in Set(node.inputs) where lastUse[name] == step {
                layout.release(name)
            }
            for (position, name) in node.outputs.enumerated() where name.isEmpty || lastUse[name] == nil {
                layout.release(slot: outputSlots[position], name: name)
            }
            let inputRange = stepSlots.count..<(stepSlots.count + inputSlots.count)
            stepSlots += inputSlots
            let outputRange = stepSlots.count..<(stepSlots.count + outputSlots.count)
            stepSlots += outputSlots
            steps.append(
                ExecutionPlan.Step(operation: node.operation, inputs: inputRange, outputs: outputRange, returnsBufferToInput: returnsBuffer)
            )
        }
        let outputSlots = outputs.map { output in
            layout.slot[output.name] ?? layout.place(output.name, constant: output.info.constant!)
        }
        return ExecutionPlan(
            initialSlots: layout.tensors,
            steps: steps,
            stepNodes: runtimeNodes.map { references[$0.index] },
            stepSlots: stepSlots,
            inputSlots: inputSlots,
            outputSlots: outputSlots,
            maxNodeInputs: steps.map(\.inputs.count).max() ?? 0,
            maxNodeOutputs: steps.map(\.outputs.count).max() ?? 0
        )
    }
}
