/// Loading, storing and mapping floats eight at a time, with the partial vector at a buffer's end.
///
/// `@inlinable`, like the rest of this module, so that each kernel module compiles them for its own
/// target CPU (the AVX2 kernels and the portable ones share this source).
extension VectorMath {
    /// The first `count` (at most 8) floats at `source`, zeros in the other lanes.
    @inlinable @inline(__always)
    public static func load(_ source: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        var values = SIMD8<Float>()
        for lane in 0..<count { values[lane] = source[lane] }
        return values
    }

    /// Stores the first `count` (at most 8) lanes of `values` at `destination`.
    @inlinable @inline(__always)
    public static func store(_ values: SIMD8<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        if count == 8 {
            UnsafeMutableRawPointer(destination).storeBytes(of: values, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<count { destination[lane] = values[lane] }
        }
    }

    /// `output[i] = f(input[i])` for `count` floats, eight at a time (the buffers may be the same);
    /// the last partial vector is padded with zeros, whose results are dropped.
    @inlinable @inline(__always)
    public static func map(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        let source = UnsafeRawPointer(input), destination = UnsafeMutableRawPointer(output)
        var index = 0
        while index + 8 <= count {
            let value = f(source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self))
            destination.storeBytes(of: value, toByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        if index < count {
            store(f(load(input + index, count: count - index)), to: output + index, count: count - index)
        }
    }
}
