/// Conversion of a decimal `mantissa × 10^exponent` to the nearest `Float`.
enum DecimalToFloat {
    /// The exactly rounded `Float` when Clinger's fast path applies, else `nil`.
    ///
    /// A mantissa below 2^24 and a power of ten up to 10^10 are exact floats, so one `Float`
    /// operation rounds correctly: the common case of a few decimals.
    ///
    /// When the mantissa and the power of ten are exact doubles, one multiplication or division
    /// gives the correctly rounded double. Rounding that double again to a `Float` can only go
    /// wrong when it lies exactly halfway between two floats (rounding the decimal to the double
    /// cannot cross such a midpoint, which is itself a double), so that case, and anything outside
    /// the normal `Float` range, is left to the slow path.
    @inline(__always)
    static func fastPath(mantissa: UInt64, exponent: Int) -> Float? {
        if mantissa == 0 { return 0 }
        // Signed conversions: one instruction each, where unsigned 64-bit ones are not on x86-64.
        let signed = Int64(bitPattern: mantissa)
        if mantissa <= 1 << 24, exponent >= -10, exponent <= 10 {
            // 10⁰ … 10¹⁰, every one exact in a Float, from a vector register rather than a jump table.
            let powers = SIMD16<Float>(1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1, 1, 1, 1, 1)
            let scale = powers[abs(exponent) & 15]
            return exponent < 0 ? Float(signed) / scale : Float(signed) * scale
        }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let scaled = exponent < 0 ? Double(signed) / powerOfTen(-exponent) : Double(signed) * powerOfTen(exponent)
        guard scaled >= Double(Float.leastNormalMagnitude), scaled <= Double(Float.greatestFiniteMagnitude) else { return nil }
        let belowFloatPrecision = scaled.bitPattern & (1 << 29 - 1)
        guard belowFloatPrecision != 1 << 28 else { return nil }
        return Float(scaled)
    }

    /// `10^exponent` for `0 ... 22`, every one exact in a `Double`.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// The correctly rounded `Float` for a JSON number's text, through the standard library's
    /// locale-independent parser. Rare: more than 19 significant digits, large exponents,
    /// subnormals and exact float midpoints.
    static func slowPath(_ text: UnsafeBufferPointer<UInt8>) -> Float {
        guard let value = Float(String(decoding: text, as: UTF8.self)) else {
            preconditionFailure("a number that passed the JSON grammar is not a valid float literal")
        }
        return value
    }
}
