import SluiceKernels

/// A node compiled at load time into something that only computes: attributes read, weights packed,
/// every unsupported case already rejected.
public protocol CompiledOperator: Sendable {
    /// Computes the node's outputs from its inputs.
    ///
    /// - Parameters:
    ///   - inputs: one tensor per node input, in order; an omitted optional input is ``Tensor/empty``
    ///     (the compiled operator knows from its ``OperatorContext`` which ones were omitted).
    ///   - outputs: one tensor per node output, holding what this operator wrote on its previous run.
    ///     Reuse their storage (``Tensor/withMutableFloats(shape:_:)``) so that a steady stream of
    ///     same-sized batches allocates nothing.
    /// - Throws: ``OperatorError`` for inputs that only predict time can reveal, such as a dynamic
    ///   dimension that disagrees between two inputs.
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws

    /// Whether the first output is always the first input's storage under another shape (a view:
    /// `Reshape`, `Identity`, …), so that the session can hand the view's old buffer back to the
    /// input's slot instead of leaving two slots sharing one buffer, which would make the next
    /// write to either copy it.
    var isView: Bool { get }
}

extension CompiledOperator {
    public var isView: Bool { false }
}

/// The result of compiling a node: what runs it, and what is known of each of its outputs.
public struct CompiledNode: Sendable {
    public var operation: any CompiledOperator
    /// One per node output, in order.
    public var outputs: [ValueInfo]

    public init(operation: any CompiledOperator, outputs: [ValueInfo]) {
        self.operation = operation
        self.outputs = outputs
    }
}

/// Everything an operator may look at while it compiles one node.
public struct OperatorContext: Sendable {
    public var node: OperatorNode
    /// One per node input, in order; `nil` where an optional input was left out.
    public var inputs: [ValueInfo?]
    /// The opset version the model imports for the node's domain.
    public var opset: Int

    public init(node: OperatorNode, inputs: [ValueInfo?], opset: Int) {
        self.node = node
        self.inputs = inputs
        self.opset = opset
    }

    /// Input `index`, or `nil` when the node has fewer inputs or left it out.
    public func input(_ index: Int) -> ValueInfo? {
        index < inputs.count ? inputs[index] : nil
    }

    /// Input `index`, failing with a message naming it when it is absent.
    public func requiredInput(_ index: Int) throws -> ValueInfo {
        guard let info = input(index) else {
            throw OperatorError("input \(index) is required")
        }
        return info
    }
}

/// How to compile one operator type of one domain, for the opset versions whose semantics it implements.
public struct OperatorDefinition: Sendable {
    public var domain: String
    public var opType: String
    /// The opset versions this definition implements; a model importing another is rejected at load.
    public var opsets: ClosedRange<Int>
    public var compile: @Sendable (OperatorContext) throws -> CompiledNode

    public init(
        domain: String = "ai.onnx",
        opType: String,
        opsets: ClosedRange<Int>,
        compile: @escaping @Sendable (OperatorContext) throws -> CompiledNode
    ) {
        self.domain = domain
        self.opType = opType
        self.opsets = opsets
        self.compile = compile
    }
}

/// Why a node cannot be compiled or run. The loader adds the node's name and operator type.
public struct OperatorError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
