/// Applies `operation` element-wise to two broadcast operands: `output[i] = operation(a[i], b[i])`
/// with `a` and `b` indexed through `plan` (made from their two shapes).
///
/// The inner loop is specialised for the three stride patterns broadcasting produces (both
/// contiguous, one side repeated), which the compiler vectorises for arithmetic on floats.
@inlinable
public func broadcastBinary<A, B, R>(
    _ a: UnsafePointer<A>,
    _ b: UnsafePointer<B>,
    _ output: UnsafeMutablePointer<R>,
    plan: BroadcastPlan,
    _ operation: (A, B) -> R
) {
    plan.forEachRun { offsets, count, strides in
        let a = a + offsets[0]
        let b = b + offsets[1]
        let output = output + offsets[2]
        switch (strides[0], strides[1]) {
        case (1, 1):
            for index in 0..<count { output[index] = operation(a[index], b[index]) }
        case (1, 0):
            let scalar = b.pointee
            for index in 0..<count { output[index] = operation(a[index], scalar) }
        case (0, 1):
            let scalar = a.pointee
            for index in 0..<count { output[index] = operation(scalar, b[index]) }
        default:
            let strideA = strides[0], strideB = strides[1]
            for index in 0..<count { output[index] = operation(a[index * strideA], b[index * strideB]) }
        }
    }
}

/// The scalar reference for ``broadcastBinary(_:_:_:plan:_:)``: computes every output element's
/// operand positions from its multi-index, with no merging of dimensions.
public func broadcastBinaryReference<A, B, R>(
    _ a: [A], shapeA: [Int],
    _ b: [B], shapeB: [Int],
    _ operation: (A, B) -> R
) -> (shape: [Int], values: [R])? {
    guard let shape = BroadcastShape.of([shapeA, shapeB]) else { return nil }
    let count = shape.reduce(1, *)
    var values: [R] = []
    values.reserveCapacity(count)
    for flat in 0..<count {
        values.append(operation(a[sourceIndex(flat, shape, shapeA)], b[sourceIndex(flat, shape, shapeB)]))
    }
    return (shape, values)
}

/// The position in an operand of `shape` of the element broadcast to flat output position `flat`.
func sourceIndex(_ flat: Int, _ output: [Int], _ shape: [Int]) -> Int {
    var remainder = flat
    var index = 0
    var step = 1
    for axis in stride(from: output.count - 1, through: 0, by: -1) {
        let coordinate = remainder % output[axis]
        remainder /= output[axis]
        let operandAxis = axis - (output.count - shape.count)
        guard operandAxis >= 0 else { break }
        if shape[operandAxis] != 1 { index += coordinate * step }
        step *= shape[operandAxis]
    }
    return index
}

/// `output[i] = condition[i] ? x[i] : y[i]` over three broadcast operands (ONNX `Where`).
@inlinable
public func broadcastSelect<T>(
    _ condition: UnsafePointer<Bool>,
    _ x: UnsafePointer<T>,
    _ y: UnsafePointer<T>,
    _ output: UnsafeMutablePointer<T>,
    plan: BroadcastPlan
) {
    plan.forEachRun { offsets, count, strides in
        let condition = condition + offsets[0], x = x + offsets[1], y = y + offsets[2]
        let output = output + offsets[3]
        let sc = strides[0], sx = strides[1], sy = strides[2]
        for index in 0..<count {
            output[index] = condition[index * sc] ? x[index * sx] : y[index * sy]
        }
    }
}
