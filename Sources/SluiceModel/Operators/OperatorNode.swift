import SluiceKernels

/// One node of an ONNX graph as the loader read it, independent of protobuf.
public struct OperatorNode: Sendable {
    /// The node's name in the model, or a name the loader made up (`"<opType>#<index>"`) when empty.
    public var name: String
    public var opType: String
    /// `"ai.onnx"` for the standard operators (the loader maps ONNX's empty domain to it), or `"ai.onnx.ml"`.
    public var domain: String
    /// Input value names; an empty string marks an optional input that was left out.
    public var inputs: [String]
    /// Output value names; an empty string marks an optional output nobody reads.
    public var outputs: [String]
    public var attributes: [String: AttributeValue]

    public init(
        name: String,
        opType: String,
        domain: String,
        inputs: [String],
        outputs: [String],
        attributes: [String: AttributeValue]
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

/// The value of a node attribute.
public enum AttributeValue: Sendable {
    case float(Float)
    case int(Int64)
    case string(String)
    case tensor(Tensor)
    case floats([Float])
    case ints([Int64])
    case strings([String])
}
