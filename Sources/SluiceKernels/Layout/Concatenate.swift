/// Copies one input of a concatenation, viewed as `[outer, axis, inner]`, into its place in an
/// output viewed as `[outer, outputAxis, inner]`, starting at `axisOffset` along the middle dimension.
///
/// Inlinable so that callers get it specialised for their element type, like ``gather(_:outer:axis:inner:indices:into:)``.
@inlinable
public func concatenatePart<T>(
    _ input: UnsafePointer<T>,
    outer: Int,
    axis: Int,
    inner: Int,
    into output: UnsafeMutablePointer<T>,
    outputAxis: Int,
    axisOffset: Int
) {
    let run = axis * inner
    guard run > 0 else { return }
    var source = input, target = output + axisOffset * inner
    let targetStride = outputAxis * inner
    // Runs of a few elements (a row's handful of features) are copied in a loop: a memmove call
    // per row costs more than the copy.
    if run < 16 {
        for _ in 0..<outer {
            for index in 0..<run { target[index] = source[index] }
            source += run
            target += targetStride
        }
        return
    }
    for _ in 0..<outer {
        target.update(from: source, count: run)
        source += run
        target += targetStride
    }
}
