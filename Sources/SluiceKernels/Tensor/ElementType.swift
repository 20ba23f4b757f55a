/// The element types a ``Tensor`` can hold.
///
/// These are the types that tabular models exchange: float features and scores, integer labels and
/// indices, booleans from comparisons, and string class labels.
public enum ElementType: String, Sendable, Hashable, CustomStringConvertible {
    case float
    case double
    case int64
    case int32
    case bool
    case string

    public var description: String { rawValue }
}
