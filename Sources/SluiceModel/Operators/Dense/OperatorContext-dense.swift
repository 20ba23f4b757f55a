import SluiceKernels

/// Look-ups the dense operators share while compiling: typed inputs, constant inputs, axes.
extension OperatorContext {
    /// Input `index`, which must have one of `types`.
    func input(_ index: Int, ofType types: Set<ElementType>) throws -> ValueInfo {
        let info = try requiredInput(index)
        guard types.contains(info.elementType) else {
            let accepted = types.map(\.rawValue).sorted().joined(separator: ", ")
            throw OperatorError("input \(index) is \(info.elementType); supported: \(accepted)")
        }
        return info
    }

    /// The float input `index`.
    func floatInput(_ index: Int) throws -> ValueInfo { try input(index, ofType: [.float]) }

    /// The values of input `index` as integers when it is a load-time constant of int64 or int32,
    /// `nil` when it is computed at predict time, and an error when it has another type.
    func constantIntegers(_ index: Int) throws -> [Int]? {
        guard let info = input(index), let constant = info.constant else { return nil }
        return try integers(of: constant, input: index)
    }

    /// The values of an int64/int32 tensor as `Int`.
    func integers(of tensor: Tensor, input index: Int) throws -> [Int] {
        switch tensor.storage {
        case .int64(let values): return values.map { Int($0) }
        case .int32(let values): return values.map { Int($0) }
        default: throw OperatorError("input \(index) must be int64, not \(tensor.elementType)")
        }
    }

    /// The number of outputs the node asks for (trailing omitted outputs not counted).
    var outputCount: Int {
        var count = node.outputs.count
        while count > 0 && node.outputs[count - 1].isEmpty { count -= 1 }
        return count
    }
}

/// `axis` made non-negative for a tensor of `rank`, or an error naming the attribute.
func normalizedAxis(_ axis: Int, rank: Int, name: String = "axis") throws -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0 && resolved < rank else {
        throw OperatorError("\(name) \(axis) is out of range for rank \(rank)")
    }
    return resolved
}

/// The product of `dimensions` when all are fixed.
func fixedCount(_ dimensions: ArraySlice<Dimension>) -> Int? {
    var count = 1
    for dimension in dimensions {
        guard let size = dimension.fixedSize else { return nil }
        count *= size
    }
    return count
}

/// The broadcast of `shapes` for output shape inference: fixed sizes where they are known,
/// dynamic otherwise; an error for two fixed sizes that cannot broadcast.
func broadcastDimensions(_ shapes: [[Dimension]?]) throws -> [Dimension]? {
    var known: [[Dimension]] = []
    for shape in shapes {
        guard let shape else { return nil }
        known.append(shape)
    }
    let rank = known.map(\.count).max() ?? 0
    var result = [Dimension](repeating: .fixed(1), count: rank)
    for shape in known {
        let offset = rank - shape.count
        for (index, dimension) in shape.enumerated() {
            let current = result[offset + index]
            switch (current, dimension) {
            case (_, .fixed(1)): break
            case (.fixed(1), _): result[offset + index] = dimension
            case (.fixed(let a), .fixed(let b)):
                guard a == b else { throw OperatorError("shapes \(known) do not broadcast") }
            case (.fixed, .dynamic): break
            case (.dynamic, .fixed): result[offset + index] = dimension
            case (.dynamic(let a), .dynamic(let b)): result[offset + index] = .dynamic(a == b ? a : nil)
            }
        }
    }
    return result
}

/// A broadcast plan for predict-time shapes, or an error naming them.
func broadcastPlan(_ shapes: [[Int]]) throws -> BroadcastPlan {
    guard let plan = BroadcastPlan(shapes) else {
        throw OperatorError("input shapes \(shapes) do not broadcast")
    }
    return plan
}

/// The opset range every version of an operator from `first` to the newest Sluice knows shares.
func since(_ first: Int) -> ClosedRange<Int> { first...newestOpset }

/// The newest `ai.onnx` opset whose operators Sluice has checked its semantics against: in the
/// schemas of onnx 1.23, every version of these operators after the first one each definition
/// claims only adds element types (Cast-28 and ReduceLogSum-28 included).
let newestOpset = 28
