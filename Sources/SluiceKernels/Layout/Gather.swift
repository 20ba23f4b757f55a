/// ONNX `Gather`: picks slices of `input` (viewed as `[outer, axis, inner]`) along its middle
/// dimension at `indices` (already made non-negative and checked against `axis`), writing
/// `[outer, indices.count, inner]`.
///
/// Inlinable so that callers get it specialised for their element type: a generic copy moves each
/// element through value witnesses.
@inlinable
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
