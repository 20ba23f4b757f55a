/// Why a prediction failed: inputs that do not fit the model, or a failure inside a node.
public struct PredictionError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
