extension Tensor {
    /// The float elements, or `nil` when the tensor holds another type.
    public var floats: [Float]? {
        if case .float(let values) = storage { return values }
        return nil
    }

    /// The double elements, or `nil` when the tensor holds another type.
    public var doubles: [Double]? {
        if case .double(let values) = storage { return values }
        return nil
    }

    /// The int64 elements, or `nil` when the tensor holds another type.
    public var int64s: [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }

    /// The int32 elements, or `nil` when the tensor holds another type.
    public var int32s: [Int32]? {
        if case .int32(let values) = storage { return values }
        return nil
    }

    /// The bool elements, or `nil` when the tensor holds another type.
    public var bools: [Bool]? {
        if case .bool(let values) = storage { return values }
        return nil
    }

    /// The string elements, or `nil` when the tensor holds another type.
    public var strings: [String]? {
        if case .string(let values) = storage { return values }
        return nil
    }

    /// Reshapes this tensor to `shape` as float storage of that size and lends the elements to `body`.
    ///
    /// The previous float storage's capacity is reused; its contents are unspecified on entry
    /// (kernels overwrite every element). The array is uniquely referenced while `body` runs, so
    /// writing to it never copies.
    public mutating func withMutableFloats<Result>(
        shape newShape: [Int],
        _ body: (inout [Float]) throws -> Result
    ) rethrows -> Result {
        let count = newShape.reduce(1, *)
        var values: [Float]
        if case .float(let existing) = storage { values = existing } else { values = [] }
        storage = .float([])
        shape = newShape
        defer { storage = .float(values) }
        Self.resize(&values, to: count, filler: 0)
        return try body(&values)
    }

    /// Like ``withMutableFloats(shape:_:)`` for int64 elements.
    public mutating func withMutableInt64s<Result>(
        shape newShape: [Int],
        _ body: (inout [Int64]) throws -> Result
    ) rethrows -> Result {
        let count = newShape.reduce(1, *)
        var values: [Int64]
        if case .int64(let existing) = storage { values = existing } else { values = [] }
        storage = .int64([])
        shape = newShape
        defer { storage = .int64(values) }
        Self.resize(&values, to: count, filler: 0)
        return try body(&values)
    }

    /// Like ``withMutableFloats(shape:_:)`` for string elements.
    public mutating func withMutableStrings<Result>(
        shape newShape: [Int],
        _ body: (inout [String]) throws -> Result
    ) rethrows -> Result {
        let count = newShape.reduce(1, *)
        var values: [String]
        if case .string(let existing) = storage { values = existing } else { values = [] }
        storage = .string([])
        shape = newShape
        defer { storage = .string(values) }
        Self.resize(&values, to: count, filler: "")
        return try body(&values)
    }

    private static func resize<Element>(_ values: inout [Element], to count: Int, filler: Element) {
        if values.count > count {
            values.removeLast(values.count - count)
        } else if values.count < count {
            values.append(contentsOf: repeatElement(filler, count: count - values.count))
        }
    }
}
