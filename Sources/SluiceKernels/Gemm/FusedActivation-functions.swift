extension FusedActivation {
    /// The fused form of `function`, or `nil` when it has none.
    public init?(_ function: UnaryFunction) {
        switch function {
        case .relu: self = .relu
        case .leakyRelu(let alpha): self = .leakyRelu(alpha: alpha)
        case .sigmoid: self = .sigmoid
        case .tanh: self = .tanh
        case .geluExact: self = .geluExact
        default: return nil
        }
    }

    /// The element-wise function this activation computes.
    var function: UnaryFunction? {
        switch self {
        case .none: nil
        case .relu: .relu
        case .leakyRelu(let alpha): .leakyRelu(alpha: alpha)
        case .sigmoid: .sigmoid
        case .tanh: .tanh
        case .geluExact: .geluExact
        }
    }

    /// The scalar reference: ``UnaryFunction/apply(_:)`` of the same function.
    func apply(_ value: Float) -> Float {
        function?.apply(value) ?? value
    }
}
