/// A dense, row-major tensor: a shape and the elements in one contiguous array.
///
/// A tensor is a value. Kernels that write into a tensor reuse its storage's capacity, so a graph
/// that runs the same shapes again allocates nothing; use the `withMutable…` accessors for that,
/// which hand out the storage uniquely referenced and so never trigger a copy-on-write.
public struct Tensor: Sendable {
    /// The size of each dimension, outermost first. An empty shape is a scalar of one element.
    public var shape: [Int]
    /// The elements, row-major.
    public var storage: TensorStorage

    public init(shape: [Int], storage: TensorStorage) {
        precondition(
            shape.reduce(1, *) == storage.count,
            "a tensor of shape \(shape) needs \(shape.reduce(1, *)) elements, not \(storage.count)"
        )
        self.shape = shape
        self.storage = storage
    }

    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, storage: .float(floats)) }
    public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, storage: .double(doubles)) }
    public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, storage: .int64(int64s)) }
    public init(shape: [Int], int32s: [Int32]) { self.init(shape: shape, storage: .int32(int32s)) }
    public init(shape: [Int], bools: [Bool]) { self.init(shape: shape, storage: .bool(bools)) }
    public init(shape: [Int], strings: [String]) { self.init(shape: shape, storage: .string(strings)) }

    /// An empty float tensor, the usual starting point for a kernel's output.
    public static let empty = Tensor(shape: [0], floats: [])

    public var elementType: ElementType { storage.elementType }
    /// The number of elements: the product of the shape.
    public var count: Int { storage.count }
    public var rank: Int { shape.count }
}

/// The elements of a ``Tensor``, one case per ``ElementType``.
public enum TensorStorage: Sendable {
    case float([Float])
    case double([Double])
    case int64([Int64])
    case int32([Int32])
    case bool([Bool])
    case string([String])

    public var elementType: ElementType {
        switch self {
        case .float: .float
        case .double: .double
        case .int64: .int64
        case .int32: .int32
        case .bool: .bool
        case .string: .string
        }
    }

    public var count: Int {
        switch self {
        case .float(let values): values.count
        case .double(let values): values.count
        case .int64(let values): values.count
        case .int32(let values): values.count
        case .bool(let values): values.count
        case .string(let values): values.count
        }
    }
}
