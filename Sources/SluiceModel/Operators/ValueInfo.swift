import SluiceKernels

/// What is known at load time about a value flowing between nodes.
public struct ValueInfo: Sendable {
    public var elementType: ElementType
    /// The dimensions, or `nil` when not even the rank is known.
    public var shape: [Dimension]?
    /// The value itself when it is known at load time: an initializer, or a constant the planner folded.
    public var constant: Tensor?
    /// For a value ONNX types as a sequence of maps (the output of `ZipMap`): the map's keys, one per
    /// column of the `[N, C]` tensor Sluice holds in its place. Outputs render it as one object per row.
    public var mapKeys: TensorStorage?

    public init(elementType: ElementType, shape: [Dimension]?, constant: Tensor? = nil, mapKeys: TensorStorage? = nil) {
        self.elementType = elementType
        self.shape = shape
        self.constant = constant
        self.mapKeys = mapKeys
    }

    /// The info of a value known at load time.
    public init(constant: Tensor) {
        self.init(elementType: constant.elementType, shape: constant.shape.map(Dimension.fixed), constant: constant)
    }

    public var rank: Int? { shape?.count }
}

/// One dimension of a ``ValueInfo``'s shape.
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    /// A size fixed by the model.
    case fixed(Int)
    /// A size known only at predict time, such as the batch, with its symbolic name when the model gives one.
    case dynamic(String?)

    public var fixedSize: Int? {
        if case .fixed(let size) = self { return size }
        return nil
    }

    public var description: String {
        switch self {
        case .fixed(let size): "\(size)"
        case .dynamic(let name): name ?? "?"
        }
    }
}
