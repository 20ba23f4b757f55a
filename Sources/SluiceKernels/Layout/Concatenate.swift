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
    for block in 0..<outer {
        (output + (block * outputAxis + axisOffset) * inner).update(from: input + block * run, count: run)
    }
}
