import SluiceKernels

/// An element type the dense operators compute on generically: how to find its array in a
/// ``TensorStorage`` and wrap one back.
protocol DenseElement: Sendable {
    static var elementType: ElementType { get }
    static func values(of storage: TensorStorage) -> [Self]?
    static func storage(_ values: [Self]) -> TensorStorage
}

/// A numeric element type that arithmetic operators accept.
protocol ArithmeticElement: DenseElement, Numeric, Comparable {
    /// `a / b`; integer division by zero gives 0 instead of trapping (ONNX leaves it undefined).
    static func divide(_ a: Self, _ b: Self) -> Self
}

extension Float: ArithmeticElement {
    static var elementType: ElementType { .float }
    static func values(of storage: TensorStorage) -> [Float]? {
        if case .float(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [Float]) -> TensorStorage { .float(values) }
    @inline(__always) static func divide(_ a: Float, _ b: Float) -> Float { a / b }
}

extension Double: ArithmeticElement {
    static var elementType: ElementType { .double }
    static func values(of storage: TensorStorage) -> [Double]? {
        if case .double(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [Double]) -> TensorStorage { .double(values) }
    @inline(__always) static func divide(_ a: Double, _ b: Double) -> Double { a / b }
}

extension Int64: ArithmeticElement {
    static var elementType: ElementType { .int64 }
    static func values(of storage: TensorStorage) -> [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [Int64]) -> TensorStorage { .int64(values) }
    @inline(__always) static func divide(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? 0 : a / b }
}

extension Int32: ArithmeticElement {
    static var elementType: ElementType { .int32 }
    static func values(of storage: TensorStorage) -> [Int32]? {
        if case .int32(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [Int32]) -> TensorStorage { .int32(values) }
    @inline(__always) static func divide(_ a: Int32, _ b: Int32) -> Int32 { b == 0 ? 0 : a / b }
}

extension Bool: DenseElement {
    static var elementType: ElementType { .bool }
    static func values(of storage: TensorStorage) -> [Bool]? {
        if case .bool(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [Bool]) -> TensorStorage { .bool(values) }
}

extension String: DenseElement {
    static var elementType: ElementType { .string }
    static func values(of storage: TensorStorage) -> [String]? {
        if case .string(let values) = storage { return values }
        return nil
    }
    static func storage(_ values: [String]) -> TensorStorage { .string(values) }
}

extension Tensor {
    /// The elements as `T`; the operator compiled for this type, so another type is a planner bug.
    func values<T: DenseElement>(_ type: T.Type) throws -> [T] {
        guard let values = T.values(of: storage) else {
            throw OperatorError("expected a tensor of \(T.elementType), got \(elementType)")
        }
        return values
    }

    /// Like ``withMutableFloats(shape:_:)`` for any ``DenseElement``: reshapes to `newShape`, reusing
    /// the previous storage's capacity when it held `T`, and lends the elements uniquely referenced.
    @inline(__always)
    mutating func withMutableValues<T: DenseElement, Result>(
        _ type: T.Type,
        shape newShape: [Int],
        filler: T,
        _ body: (UnsafeMutableBufferPointer<T>) throws -> Result
    ) rethrows -> Result {
        let count = newShape.reduce(1, *)
        var values = T.values(of: storage) ?? []
        storage = T.storage([])
        shape = newShape
        defer { storage = T.storage(values) }
        if values.count > count {
            values.removeLast(values.count - count)
        } else if values.count < count {
            values.append(contentsOf: repeatElement(filler, count: count - values.count))
        }
        return try values.withUnsafeMutableBufferPointer { try body($0) }
    }
}
