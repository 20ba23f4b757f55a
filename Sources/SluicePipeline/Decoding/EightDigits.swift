/// Branch-free handling of up to eight ASCII digits held in a little-endian word (the first byte
/// in memory is the lowest), after simdjson's `parse_eight_digits_unrolled`.
enum EightDigits {
    /// How many of the word's bytes, from the first, are ASCII digits (0 to 8).
    @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        let offsets = word ^ 0x3030_3030_3030_3030
        // A byte is not a digit when its offset from '0' is 10 or more: adding 0x76 sets its high
        // bit then (or it was set already). Carries only run upward, so the lowest flag is exact.
        let notDigit = ((offsets &+ 0x7676_7676_7676_7676) | offsets) & 0x8080_8080_8080_8080
        return notDigit.trailingZeroBitCount >> 3
    }

    /// The value of the word's first `count` bytes read as decimal digits (`count` ≤ 8, and those
    /// bytes are digits).
    @inline(__always)
    static func value(_ word: UInt64, count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        // Shifting the digits to the high bytes leaves zeros as leading digits.
        var digits = (word ^ 0x3030_3030_3030_3030) &<< UInt64(64 - 8 * count)
        digits = digits &* 10 &+ (digits >> 8)
        digits = ((digits & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064 &+ ((digits >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) >> 32
        return digits & 0xFFFF_FFFF
    }

    /// `10^count` for `count` in 0 ... 8, from a table in a vector register rather than a jump table.
    @inline(__always)
    static func powerOfTen(_ count: Int) -> UInt64 {
        let powers = SIMD16<UInt32>(1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 0, 0, 0, 0, 0, 0, 0)
        return UInt64(powers[count & 15])
    }
}
