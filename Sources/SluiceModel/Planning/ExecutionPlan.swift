import SluiceKernels

/// A graph compiled and laid out for execution: the nodes to run in order, each reading and writing
/// values by slot index into one array of tensors, so a prediction does no name look-ups.
///
/// Values whose lifetimes do not overlap share a slot, and a slot's tensor stays in place between
/// predictions, so each node writes into the storage it (or an earlier node) used last time.
struct ExecutionPlan: Sendable {
    struct Step: Sendable {
        var node: NodeReference
        var operation: any CompiledOperator
        /// One per node input; `-1` for an omitted optional input.
        var inputSlots: [Int]
        var outputSlots: [Int]
    }

    /// The slots a session starts with: constants in place, everything else empty.
    var initialSlots: [Tensor]
    var steps: [Step]
    /// The slot of each model input, in ``Model/inputs`` order.
    var inputSlots: [Int]
    /// The slot of each model output, in ``Model/outputs`` order.
    var outputSlots: [Int]
    var maxNodeInputs: Int
    var maxNodeOutputs: Int
}
