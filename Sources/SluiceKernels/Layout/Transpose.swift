/// Writes `input` of `shape` with its axes reordered: output axis `i` is input axis `permutation[i]`.
public func transpose<T>(_ input: UnsafePointer<T>, shape: [Int], permutation: [Int], into output: UnsafeMutablePointer<T>) {
    let rank = shape.count
    precondition(permutation.count == rank)
    var inputStrides = [Int](repeating: 1, count: rank)
    for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
    // Reading the input through the permuted strides turns the transpose into a strided copy
    // with the output written in order.
    let outputShape = permutation.map { shape[$0] }
    let strides = permutation.map { inputStrides[$0] }
    stridedCopy(input, shape: outputShape, strides: strides, into: output)
}

/// Copies the elements of `shape` read from `input` at `Σ coordinate·stride` to `output`, in
/// row-major order. The engine behind transposes and slices.
public func stridedCopy<T>(_ input: UnsafePointer<T>, shape: [Int], strides: [Int], into output: UnsafeMutablePointer<T>) {
    let count = shape.reduce(1, *)
    guard count > 0 else { return }
    guard let innerSize = shape.last else {
        output.pointee = input.pointee
        return
    }
    let rank = shape.count
    let innerStride = strides[rank - 1]
    var counters = [Int](repeating: 0, count: rank)
    var offset = 0
    var written = 0
    while written < count {
        let source = input + offset
        for index in 0..<innerSize { output[written + index] = source[index * innerStride] }
        written += innerSize
        var axis = rank - 2
        while axis >= 0 {
            counters[axis] += 1
            offset += strides[axis]
            if counters[axis] < shape[axis] { break }
            offset -= strides[axis] * shape[axis]
            counters[axis] = 0
            axis -= 1
        }
    }
}
