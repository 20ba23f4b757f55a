import SluiceKernels

/// Writes `input` converted to `type` into `output`, reusing its storage; see ``castStorage(_:to:)``.
func cast(_ input: Tensor, to type: ElementType, into output: inout Tensor) throws {
    if input.elementType == type {
        output = input
        return
    }
    func convert<S: DenseElement, T: DenseElement>(_ values: [S], filler: T, _ conversion: (S) -> T) {
        output.withMutableValues(T.self, shape: input.shape, filler: filler) { output in
            for index in values.indices { output[index] = conversion(values[index]) }
        }
    }
    switch (input.storage, type) {
    case (.float(let values), .int64): convert(values, filler: Int64(0)) { saturatingInteger($0) }
    case (.float(let values), .double): convert(values, filler: Double(0)) { Double($0) }
    case (.double(let values), .float): convert(values, filler: Float(0)) { Float($0) }
    case (.int64(let values), .float): convert(values, filler: Float(0)) { Float($0) }
    case (.bool(let values), .float): convert(values, filler: Float(0)) { $0 ? 1 : 0 }
    case (.float(let values), .bool): convert(values, filler: false) { $0 != 0 }
    default: output = Tensor(shape: input.shape, storage: try castStorage(input.storage, to: type))
    }
}

/// Converts `storage` to `type` with ONNX `Cast` semantics: floats to integers truncate toward
/// zero (NaN and out-of-range values saturate instead of trapping), anything to bool is `≠ 0`,
/// bool to numbers is 0 or 1. Strings are rejected.
func castStorage(_ storage: TensorStorage, to type: ElementType) throws -> TensorStorage {
    if storage.elementType == type { return storage }
    switch storage {
    case .float(let values): return try castNumbers(values, to: type)
    case .double(let values): return try castNumbers(values, to: type)
    case .int64(let values): return try castIntegers(values, to: type)
    case .int32(let values): return try castIntegers(values, to: type)
    case .bool(let values): return try castIntegers(values.map { Int64($0 ? 1 : 0) }, to: type)
    case .string: throw OperatorError("casting strings is not supported")
    }
}

private func castNumbers<T: BinaryFloatingPoint>(_ values: [T], to type: ElementType) throws -> TensorStorage {
    switch type {
    case .float: return .float(values.map { Float($0) })
    case .double: return .double(values.map { Double($0) })
    case .int64: return .int64(values.map { saturatingInteger($0) })
    case .int32: return .int32(values.map { saturatingInteger($0) })
    case .bool: return .bool(values.map { $0 != 0 })
    case .string: throw OperatorError("casting to string is not supported")
    }
}

private func castIntegers<T: BinaryInteger>(_ values: [T], to type: ElementType) throws -> TensorStorage {
    switch type {
    case .float: return .float(values.map { Float($0) })
    case .double: return .double(values.map { Double($0) })
    case .int64: return .int64(values.map { Int64(truncatingIfNeeded: $0) })
    case .int32: return .int32(values.map { Int32(truncatingIfNeeded: $0) })
    case .bool: return .bool(values.map { $0 != 0 })
    case .string: throw OperatorError("casting to string is not supported")
    }
}

/// ``saturatingInteger(_:)`` for the common float-to-int64 case, concrete so that the conversion
/// is one instruction instead of the generic bit-by-bit path.
private func saturatingInteger(_ value: Float) -> Int64 {
    if value.isNaN { return .min }
    if value >= 0x1p63 { return .max }
    if value <= -0x1p63 { return .min }
    return Int64(value)
}

private func saturatingInteger<F: BinaryFloatingPoint, I: FixedWidthInteger>(_ value: F) -> I {
    if value.isNaN { return I.min }
    if value >= F(I.max) { return I.max }
    if value <= F(I.min) { return I.min }
    return I(value)
}
