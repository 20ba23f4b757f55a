import SluiceKernels

/// Runs predictions of one ``Model``, reusing every buffer from one call to the next.
///
/// A session is used by one thread (or task) at a time; it is not `Sendable`. Create one per worker
/// with ``Model/makeSession()``. Once a batch size has been seen, predicting the same size again
/// allocates nothing, provided the caller has let go of the previous call's outputs (outputs still
/// held are left intact: the next call then writes into fresh storage instead).
public final class ModelSession {
    public let model: Model
    private let plan: ExecutionPlan
    private var slots: [Tensor]
    private var nodeInputs: [Tensor] = []
    private var nodeOutputs: [Tensor] = []
    private var results: [Tensor] = []
    /// The slot of the single float input fed by the `features:` forms, when the model has one.
    private let featureInput: FeatureInput?
    private var featureShape: [Int] = []
    private var featureShapeCount = 0

    init(model: Model) {
        self.model = model
        plan = model.plan
        slots = plan.initialSlots
        nodeInputs.reserveCapacity(plan.maxNodeInputs)
        nodeOutputs.reserveCapacity(plan.maxNodeOutputs)
        results.reserveCapacity(plan.outputSlots.count)
        featureInput = FeatureInput(model: model)
    }

    /// Predicts a batch of `rows` rows for a model with a single float input, from the rows' features
    /// laid out contiguously, row after row.
    ///
    /// - Returns: one tensor per model output, in ``Model/outputs`` order; the first dimension is the batch.
    /// - Throws: ``PredictionError`` when the model has no single float input, when the number of
    ///   values is not `rows` × the features per row, or for NaN a model cannot handle.
    public func predict(features: UnsafeBufferPointer<Float>, rows: Int) throws -> [Tensor] {
        guard let featureInput else {
            throw PredictionError(
                "model \(model.identity.name) does not take a single float input; its inputs are "
                    + model.inputs.map { "'\($0.name)' \($0.info.typeDescription)" }.joined(separator: ", ")
                    + "; pass tensors to predict(_:)"
            )
        }
        // Building the shape allocates; a stream of same-sized batches reuses the last one.
        if rows != featureShape.first || features.count != featureShapeCount {
            featureShape = try featureInput.shape(rows: rows, valueCount: features.count)
            featureShapeCount = features.count
        }
        let shape = featureShape
        if !model.acceptsMissingValues {
            try Self.rejectNaN(features, rowWidth: rows == 0 ? 1 : features.count / rows, input: featureInput.name)
        }
        slots[featureInput.slot].withMutableFloats(shape: shape) { values in
            values.withUnsafeMutableBufferPointer { destination in
                _ = destination.initialize(fromContentsOf: features)
            }
        }
        return try run()
    }

    /// Like ``predict(features:rows:)`` from an array.
    public func predict(features: [Float], rows: Int) throws -> [Tensor] {
        try features.withUnsafeBufferPointer { try predict(features: $0, rows: rows) }
    }

    /// Predicts from one tensor per model input, in ``Model/inputs`` order.
    ///
    /// - Throws: ``PredictionError`` naming the input whose count, type, rank or dimensions do not
    ///   fit the model, or for NaN a model cannot handle.
    public func predict(_ inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.count == model.inputs.count else {
            throw PredictionError("model \(model.identity.name) takes \(model.inputs.count) inputs, got \(inputs.count)")
        }
        for (index, tensor) in inputs.enumerated() {
            let expected = model.inputs[index]
            try Self.check(tensor, against: expected)
            if !model.acceptsMissingValues, let floats = tensor.floats {
                try floats.withUnsafeBufferPointer {
                    try Self.rejectNaN($0, rowWidth: tensor.shape.dropFirst().reduce(1, *), input: expected.name)
                }
            }
            slots[plan.inputSlots[index]] = tensor
        }
        return try run()
    }

    private func run() throws -> [Tensor] {
        // The loop works on locals moved out of the session: a class's stored properties would be
        // checked for exclusive access on every touch, which costs more than the small nodes do.
        // Let go of the previous call's outputs first, so the nodes producing them write in place.
        results.removeAll(keepingCapacity: true)
        var slots = self.slots
        var inputs = nodeInputs
        var outputs = nodeOutputs
        self.slots = []
        nodeInputs = []
        nodeOutputs = []
        defer {
            self.slots = slots
            nodeInputs = inputs
            nodeOutputs = outputs
        }
        let empty = Tensor.empty
        try plan.steps.withUnsafeBufferPointer { steps in
            try plan.stepSlots.withUnsafeBufferPointer { stepSlots in
                for index in steps.indices {
                    // Borrowed through the pointer: copying a step would retain everything its
                    // compiled operator holds (weights, labels) on every node of every prediction.
                    let step = steps.baseAddress! + index
                    for position in step.pointee.inputs {
                        let slot = stepSlots[position]
                        inputs.append(slot < 0 ? empty : slots[slot])
                    }
                    for position in step.pointee.outputs {
                        // Moves the output's storage into `outputs`, uniquely referenced, so the
                        // kernel writes into it in place; swapping costs no reference counting.
                        outputs.append(empty)
                        swap(&outputs[outputs.count - 1], &slots[stepSlots[position]])
                    }
                    // A view replaces its output; its old buffer goes to the input's slot, whose value
                    // is dead, so that neither slot shares a buffer with the other next time.
                    let previous = step.pointee.returnsBufferToInput ? outputs[0] : nil
                    do {
                        try step.pointee.operation.run(inputs, &outputs)
                    } catch {
                        inputs.removeAll(keepingCapacity: true)
                        outputs.removeAll(keepingCapacity: true)
                        throw PredictionError("\(plan.stepNodes[index]): \(error)")
                    }
                    for (offset, position) in step.pointee.outputs.enumerated() {
                        swap(&slots[stepSlots[position]], &outputs[offset])
                    }
                    if let previous { slots[stepSlots[step.pointee.inputs.lowerBound]] = previous }
                    inputs.removeAll(keepingCapacity: true)
                    outputs.removeAll(keepingCapacity: true)
                }
            }
        }
        for slot in plan.outputSlots {
            results.append(slots[slot])
        }
        return results
    }

    private static func check(_ tensor: Tensor, against expected: ModelValue) throws {
        guard tensor.elementType == expected.info.elementType else {
            throw PredictionError(
                "input '\(expected.name)' must be \(expected.info.typeDescription), got \(tensor.elementType) elements"
            )
        }
        guard let shape = expected.info.shape else { return }
        guard tensor.rank == shape.count else {
            throw PredictionError(
                "input '\(expected.name)' must have rank \(shape.count) (\(expected.info.typeDescription)), got shape \(tensor.shape)"
            )
        }
        for (axis, dimension) in shape.enumerated() {
            if let size = dimension.fixedSize, size != tensor.shape[axis] {
                throw PredictionError(
                    "input '\(expected.name)' must be \(expected.info.typeDescription), got shape \(tensor.shape): dimension \(axis) must be \(size)"
                )
            }
        }
    }

    private static func rejectNaN(_ values: UnsafeBufferPointer<Float>, rowWidth: Int, input: String) throws {
        guard containsNaN(values), let index = values.firstIndex(where: \.isNaN) else { return }
        let width = max(rowWidth, 1)
        throw PredictionError(
            "input '\(input)' row \(index / width) feature \(index % width) is NaN; this model has no "
                + "missing-value handling (no tree ensemble or imputer), so NaN inputs are rejected"
        )
    }
}

/// Where the `features:` forms of ``ModelSession/predict(features:rows:)`` put the rows.
private struct FeatureInput {
    var name: String
    var slot: Int
    /// The input's dimensions after the batch: fixed sizes, or `nil` for one that the count decides.
    var rowShape: [Int?]
    var typeDescription: String

    init?(model: Model) {
        guard model.inputs.count == 1, model.inputs[0].info.elementType == .float,
              let shape = model.inputs[0].info.shape, !shape.isEmpty,
              shape.dropFirst().filter({ $0.fixedSize == nil }).count <= 1 else { return nil }
        name = model.inputs[0].name
        slot = model.plan.inputSlots[0]
        rowShape = shape.dropFirst().map(\.fixedSize)
        typeDescription = model.inputs[0].info.typeDescription
    }

    func shape(rows: Int, valueCount: Int) throws -> [Int] {
        guard rows >= 0 else { throw PredictionError("a batch cannot have \(rows) rows") }
        let fixed = rowShape.reduce(1) { $0 * ($1 ?? 1) }
        if rowShape.contains(where: { $0 == nil }) {
            guard rows > 0, fixed > 0, valueCount % (rows * fixed) == 0 else {
                throw PredictionError(
                    "input '\(name)' is \(typeDescription): \(valueCount) values do not make \(rows) rows"
                )
            }
            return [rows] + rowShape.map { $0 ?? valueCount / (rows * fixed) }
        }
        guard valueCount == rows * fixed else {
            if rows == 1 || rows == 0 {
                throw PredictionError("input '\(name)' expects \(fixed) features per row (\(typeDescription)), got \(valueCount)")
            }
            throw PredictionError(
                "input '\(name)' expects \(rows) rows × \(fixed) features = \(rows * fixed) values (\(typeDescription)), got \(valueCount)"
            )
        }
        return [rows] + rowShape.map { $0! }
    }
}

/// Whether `values` holds a NaN: eight lanes compared at a time, with no early exit, since NaN
/// is the rare case and the first one is found afterwards.
func containsNaN(_ values: UnsafeBufferPointer<Float>) -> Bool {
    guard let base = values.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    // A NaN is the only value not equal to itself.
    var seen = SIMDMask<SIMD8<Int32>>()
    var index = 0
    while index + 8 <= values.count {
        let lanes = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        seen .|= lanes .!= lanes
        index += 8
    }
    var tail = false
    while index < values.count {
        tail = tail || values[index].isNaN
        index += 1
    }
    return tail || any(seen)
}
