/// ONNX `Gather`: picks slices of `input` (viewed as `[outer, axis, inner]`) along its middle
/// dimension at `indices` (already made non-negative and checked against `axis`), writing
/// `[outer, indices.count, inner]`.
public func gather<T>(
    _ input: UnsafePointer<T>,
    outer: Int,
    axis: Int,
    inner: Int,
    indices: UnsafeBufferPointer<Int>,
    into output: UnsafeMutablePointer<T>
) {
    var written = 0
    for block in 0..<outer {
        let base = input + block * axis * inner
        for index in indices {
            let source = base + index * inner
            if inner == 1 {
                output[written] = source.pointee
            } else {
                (output + written).update(from: source, count: inner)
            }
            written += inner
        }
    }
}

/// Concatenates inputs viewed as `[outer, axisᵢ, inner]` along the middle dimension.
public func concatenate<T>(
    _ inputs: [(pointer: UnsafePointer<T>, axis: Int)],
    outer: Int,
    inner: Int,
    into output: UnsafeMutablePointer<T>
) {
    var written = 0
    for block in 0..<outer {
        for input in inputs {
            let run = input.axis * inner
            (output + written).update(from: input.pointer + block * run, count: run)
            written += run
        }
    }
}
