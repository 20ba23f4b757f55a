/// Vectorised transcendental functions for eight floats at a time, accurate to a few ulp over the
/// ranges activations see. They exist because libm's scalar `expf` blocks vectorisation of
/// softmax, sigmoid and tanh, the costliest element-wise steps of an MLP.
public enum VectorMath {
    /// `eˣ`, with relative error below 2e-7 on [-87, 88]; inputs beyond are clamped, so results
    /// saturate to the smallest normal float or about 1.6e38 instead of producing 0 or infinity.
    /// NaN stays NaN.
    ///
    /// Written with arithmetic, comparisons and bit casts only: the standard library's generic
    /// `rounded`, `clamped` and integer conversions on SIMD vectors run lane by lane, 50× slower.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Cephes expf: split x = n·ln2 + r with |r| ≤ ln2/2, approximate eʳ by a degree-6
        // polynomial, and scale by 2ⁿ through the exponent bits.
        var x = x.replacing(with: -87.3, where: x .< -87.3)
        x = x.replacing(with: 88.3, where: x .> 88.3)
        // Adding 1.5·2²³ rounds to an integer in the low mantissa bits.
        let shifter: Float = 12_582_912
        let t = x * 1.44269504088896341 + shifter
        let n = t - shifter
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = (integer &+ 127) &<< 23
        return p * unsafeBitCast(scale, to: SIMD8<Float>.self)
    }

    /// `tanh(x)`, with relative error below 1e-6: an odd polynomial near zero, where the
    /// exponential form would cancel, and `1 − 2/(e²ˣ + 1)` elsewhere.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let z = x * x
        var p = SIMD8<Float>(repeating: -5.70498872745e-3)
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        let small = p * z * x + x
        var magnitude = abs(x)
        magnitude = magnitude.replacing(with: 9, where: magnitude .> 9)
        let large = 1 - 2 / (exp(2 * magnitude) + 1)
        let signedLarge = large.replacing(with: -large, where: x .< 0)
        return signedLarge.replacing(with: small, where: abs(x) .< 0.625)
    }

    /// `1 / (1 + e⁻ˣ)`.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    @inlinable @inline(__always)
    static func abs(_ x: SIMD8<Float>) -> SIMD8<Float> {
        x.replacing(with: -x, where: x .< 0)
    }
}
