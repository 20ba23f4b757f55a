import SluiceKernels

/// Runs ``broadcastBinary(_:_:_:plan:_:)`` on two tensors, writing `output` in place of its
/// previous contents.
@inline(__always)
func broadcast<T: DenseElement, R: DenseElement>(
    _ a: Tensor, _ b: Tensor, _ type: T.Type, into output: inout Tensor, filler: R,
    _ operation: (T, T) -> R
) throws {
    let x = try a.values(T.self), y = try b.values(T.self)
    // Equal shapes and a scalar operand, the common cases, need no broadcast plan.
    if a.shape == b.shape || (y.count == 1 && a.rank >= b.rank) || (x.count == 1 && b.rank >= a.rank) {
        let shape = a.shape == b.shape ? a.shape : (y.count == 1 && a.rank >= b.rank ? a.shape : b.shape)
        output.withMutableValues(R.self, shape: shape, filler: filler) { output in
            guard output.count > 0, let target = output.baseAddress else { return }
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    let left = x.baseAddress!, right = y.baseAddress!
                    if x.count == y.count {
                        for index in 0..<output.count { target[index] = operation(left[index], right[index]) }
                    } else if y.count == 1 {
                        let scalar = right.pointee
                        for index in 0..<output.count { target[index] = operation(left[index], scalar) }
                    } else {
                        let scalar = left.pointee
                        for index in 0..<output.count { target[index] = operation(scalar, right[index]) }
                    }
                }
            }
        }
        return
    }
    // A row broadcast over a batch ([N, C] with [C] or [1, C]): the bias add of every dense layer
    // and the shift and scale of a standard scaler.
    if b.count > 0, a.rank >= b.rank, a.shape.suffix(b.rank).isRepeated(by: b.shape) {
        let width = y.count
        output.withMutableValues(R.self, shape: a.shape, filler: filler) { output in
            guard output.count > 0, let target = output.baseAddress else { return }
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    let left = x.baseAddress!, right = y.baseAddress!
                    // Row pointers rather than `row * width + column` indices, whose overflow checks
                    // would keep the inner loop from vectorising.
                    var rowInput = left, rowOutput = target
                    for _ in 0..<(output.count / width) {
                        for column in 0..<width { rowOutput[column] = operation(rowInput[column], right[column]) }
                        rowInput += width
                        rowOutput += width
                    }
                }
            }
        }
        return
    }
    let plan = try broadcastPlan([a.shape, b.shape])
    output.withMutableValues(R.self, shape: plan.outputShape, filler: filler) { output in
        guard plan.outputCount > 0 else { return }
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                broadcastBinary(x.baseAddress!, y.baseAddress!, output.baseAddress!, plan: plan, operation)
            }
        }
    }
}

/// Applies `operation` to every element of `input`, writing `output`.
@inline(__always)
func map<T: DenseElement, R: DenseElement>(
    _ input: Tensor, _ type: T.Type, into output: inout Tensor, filler: R, _ operation: (T) -> R
) throws {
    let x = try input.values(T.self)
    output.withMutableValues(R.self, shape: input.shape, filler: filler) { output in
        for index in x.indices { output[index] = operation(x[index]) }
    }
}

extension ArraySlice<Int> {
    /// Whether `row`, a shape of equal rank, broadcasts over this one by repeating whole rows:
    /// after its leading 1s it equals the same trailing dimensions of this shape.
    fileprivate func isRepeated(by row: [Int]) -> Bool {
        let ones = row.prefix(while: { $0 == 1 }).count
        return dropFirst(ones).elementsEqual(row.dropFirst(ones))
    }
}
