/// Vectorised transcendental functions for eight floats at a time, accurate to a few ulp over the
/// ranges activations see. They exist because libm's scalar `expf` blocks vectorisation of
/// softmax, sigmoid and tanh, the costliest element-wise steps of an MLP.
///
/// Everything here is `@inlinable`, so that each module compiles it for its own target CPU: the
/// AVX2 kernels get 256-bit fused multiply-adds from the same source.
public enum VectorMath {
    /// `eˣ`, with relative error below 2e-7 on [-87, 88]; inputs beyond are clamped, so results
    /// saturate to the smallest normal float or about 1.6e38 instead of producing 0 or infinity.
    /// NaN stays NaN.
    ///
    /// Written with arithmetic, comparisons and bit casts only: the standard library's generic
    /// `rounded`, `clamped` and integer conversions on SIMD vectors run lane by lane, 50× slower.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> { exp(x, SeparateMultiplyAdd.self) }

    /// The same, with `M`'s multiply-adds.
    @inlinable @inline(__always)
    public static func exp<M: MultiplyAdd>(_ x: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        // Cephes expf: split x = n·ln2 + r with |r| ≤ ln2/2, approximate eʳ by a degree-6
        // polynomial, and scale by 2ⁿ through the exponent bits.
        var x = x.replacing(with: -87.3, where: x .< -87.3)
        x = x.replacing(with: 88.3, where: x .> 88.3)
        // Adding 1.5·2²³ rounds to an integer in the low mantissa bits.
        let shifter: Float = 12_582_912
        let t = M.multiplyAdd(x, SIMD8(repeating: 1.44269504088896341), SIMD8(repeating: shifter))
        let n = t - shifter
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = M.multiplyAdd(p, r, 1.3981999507e-3)
        p = M.multiplyAdd(p, r, 8.3334519073e-3)
        p = M.multiplyAdd(p, r, 4.1665795894e-2)
        p = M.multiplyAdd(p, r, 1.6666665459e-1)
        p = M.multiplyAdd(p, r, 5.0000001201e-1)
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = (integer &+ 127) &<< 23
        return p * unsafeBitCast(scale, to: SIMD8<Float>.self)
    }

    /// `tanh(x)`, with error below 1e-6: a rational function of odd and even polynomials in
    /// `x` clamped to ±7.9, beyond which tanh is ±1 in float (Eigen's and XLA's `tanh` for float),
    /// and `x` itself below 0.0004. It needs no exponential, which makes it about three times
    /// cheaper than `1 − 2/(e²ˣ + 1)`. NaN stays NaN.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> { tanh(x, SeparateMultiplyAdd.self) }

    /// The same, with `M`'s multiply-adds.
    @inlinable @inline(__always)
    public static func tanh<M: MultiplyAdd>(_ x: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        var clamped = x.replacing(with: 7.90531110763549805, where: x .> 7.90531110763549805)
        clamped = clamped.replacing(with: -7.90531110763549805, where: clamped .< -7.90531110763549805)
        let z = clamped * clamped
        var p = SIMD8<Float>(repeating: -2.76076847742355e-16)
        p = M.multiplyAdd(p, z, 2.00018790482477e-13)
        p = M.multiplyAdd(p, z, -8.60467152213735e-11)
        p = M.multiplyAdd(p, z, 5.12229709037114e-08)
        p = M.multiplyAdd(p, z, 1.48572235717979e-05)
        p = M.multiplyAdd(p, z, 6.37261928875436e-04)
        p = M.multiplyAdd(p, z, 4.89352455891786e-03)
        var q = SIMD8<Float>(repeating: 1.19825839466702e-06)
        q = M.multiplyAdd(q, z, 1.18534705686654e-04)
        q = M.multiplyAdd(q, z, 2.26843463243900e-03)
        q = M.multiplyAdd(q, z, 4.89352518554385e-03)
        return (clamped * p / q).replacing(with: x, where: abs(x) .< 0.0004)
    }

    /// `1 / (1 + e⁻ˣ)`.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { sigmoid(x, SeparateMultiplyAdd.self) }

    /// The same, with `M`'s multiply-adds.
    @inlinable @inline(__always)
    public static func sigmoid<M: MultiplyAdd>(_ x: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        1 / (1 + exp(-x, M.self))
    }

    @inlinable @inline(__always)
    public static func abs(_ x: SIMD8<Float>) -> SIMD8<Float> {
        x.replacing(with: -x, where: x .< 0)
    }

    /// `erf(x)`, with absolute error below 1e-6: a rational approximation in odd and even
    /// polynomials of `x` clamped to [-4, 4], beyond which erf is ±1 in float (Eigen's and XLA's
    /// `erf` for float). NaN stays NaN.
    @inlinable @inline(__always)
    public static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> { erf(x, SeparateMultiplyAdd.self) }

    /// The same, with `M`'s multiply-adds.
    @inlinable @inline(__always)
    public static func erf<M: MultiplyAdd>(_ x: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        var x = x.replacing(with: 4, where: x .> 4)
        x = x.replacing(with: -4, where: x .< -4)
        let z = x * x
        var p = SIMD8<Float>(repeating: -2.72614225801306e-10)
        p = M.multiplyAdd(p, z, 2.77068142495902e-08)
        p = M.multiplyAdd(p, z, -2.10102402082508e-06)
        p = M.multiplyAdd(p, z, -5.69250639462346e-05)
        p = M.multiplyAdd(p, z, -7.34990630326855e-04)
        p = M.multiplyAdd(p, z, -2.95459980854025e-03)
        p = M.multiplyAdd(p, z, -1.60960333262415e-02)
        var q = SIMD8<Float>(repeating: -1.45660718464996e-05)
        q = M.multiplyAdd(q, z, -2.13374055278905e-04)
        q = M.multiplyAdd(q, z, -1.68282697438203e-03)
        q = M.multiplyAdd(q, z, -7.37332916720468e-03)
        q = M.multiplyAdd(q, z, -1.42647390514189e-02)
        return x * p / q
    }

    /// `x·Φ(x) = x/2 · (1 + erf(x/√2))`, the exact GELU.
    @inlinable @inline(__always)
    public static func geluExact(_ x: SIMD8<Float>) -> SIMD8<Float> { geluExact(x, SeparateMultiplyAdd.self) }

    /// The same, with `M`'s multiply-adds.
    @inlinable @inline(__always)
    public static func geluExact<M: MultiplyAdd>(_ x: SIMD8<Float>, _: M.Type) -> SIMD8<Float> {
        0.5 * x * (1 + erf(x * 0.70710678118654752, M.self))
    }
}

/// How ``VectorMath``'s polynomials compute `a·b + c`: the portable build multiplies and adds
/// (`addingProduct` there would call libm's `fmaf` lane by lane on CPUs without FMA); the AVX2
/// variant fuses them, one instruction and one rounding each.
public protocol MultiplyAdd {
    static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float>
}

extension MultiplyAdd {
    /// `a·b + c` for a scalar `c`, a polynomial's coefficient.
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: Float) -> SIMD8<Float> {
        multiplyAdd(a, b, SIMD8(repeating: c))
    }
}

/// `a·b + c` as a multiplication then an addition.
public enum SeparateMultiplyAdd: MultiplyAdd {
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> { a * b + c }
}

/// `a·b + c` as one fused multiply-add: only for code compiled for a CPU with FMA.
public enum FusedMultiplyAdd: MultiplyAdd {
    @inlinable @inline(__always)
    public static func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> { c.addingProduct(a, b) }
}
