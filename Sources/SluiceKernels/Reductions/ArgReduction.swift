/// The index of the largest (or smallest) element along the middle dimension of an input viewed as
/// `[outer, axis, inner]`, written as `[outer, inner]` int64s.
///
/// Ties go to the first index, or the last with `selectLastIndex`, as ONNX's `select_last_index`.
/// A NaN never wins, matching numpy's `argmax` only for inputs without NaN.
///
/// Inlinable so that callers get it specialised for their element type: a generic copy compares
/// and copies each element through witness tables.
@inlinable
public func argReduce<T: Comparable>(
    _ input: UnsafePointer<T>,
    outer: Int,
    axis: Int,
    inner: Int,
    largest: Bool,
    selectLastIndex: Bool,
    into output: UnsafeMutablePointer<Int64>
) {
    for block in 0..<outer {
        for column in 0..<inner {
            let base = input + block * axis * inner + column
            var best = 0
            var bestValue = base.pointee
            for index in 1..<Swift.max(axis, 1) {
                let value = base[index * inner]
                let better = largest ? value > bestValue : value < bestValue
                if better || (selectLastIndex && value == bestValue) {
                    best = index
                    bestValue = value
                }
            }
            output[block * inner + column] = Int64(best)
        }
    }
}
