import SluiceKernels

/// A graph compiled and laid out for execution: the nodes to run in order, each reading and writing
/// values by slot index into one array of tensors, so a prediction does no name look-ups.
///
/// Values whose lifetimes do not overlap share a slot, and a slot's tensor stays in place between
/// predictions, so each node writes into the storage it (or an earlier node) used last time.
struct ExecutionPlan: Sendable {
    struct Step: Sendable {
        var operation: any CompiledOperator
        /// Where this step's input slots are in ``ExecutionPlan/stepSlots``; `-1` marks an omitted
        /// optional input.
        var inputs: Range<Int>
        /// Where this step's output slots are in ``ExecutionPlan/stepSlots``.
        var outputs: Range<Int>
        /// The step is a view (``CompiledOperator/isView``) of a first input that no later step
        /// reads: the view's previous buffer goes back to that input's slot.
        var returnsBufferToInput: Bool
    }

    /// The slots a session starts with: constants in place, everything else empty.
    var initialSlots: [Tensor]
    var steps: [Step]
    /// The node each step runs, for error messages; kept apart so the run loop does not touch it.
    var stepNodes: [NodeReference]
    /// Every step's input and output slot indices, in one array the run loop reads without retaining.
    var stepSlots: [Int]
    /// The slot of each model input, in ``Model/inputs`` order.
    var inputSlots: [Int]
    /// The slot of each model output, in ``Model/outputs`` order.
    var outputSlots: [Int]
    var maxNodeInputs: Int
    var maxNodeOutputs: Int
}
