/// A position in borrowed JSON bytes, with the grammar's scanning steps (RFC 8259).
///
/// Reads past the end return 0, a byte no JSON token starts with, so every step checks bounds
/// exactly once per byte. String contents are checked for escapes and control characters but not
/// for UTF-8 validity: the decoder never interprets them.
struct JSONCursor {
    /// The deepest nesting of objects and arrays accepted, so that hostile input cannot exhaust
    /// the stack.
    static let maximumDepth = 128

    let base: UnsafePointer<UInt8>
    let end: Int
    var index = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    @inline(__always)
    var current: UInt8 { index < end ? base[index] : 0 }

    @inline(__always)
    var isAtEnd: Bool { index >= end }

    // Errors are built out of line, so that the hot paths carry no string code.
    @inline(never)
    func invalid(_ detail: String) -> FeatureDecodingError {
        FeatureDecodingError(.invalidJSON, path: "$", offset: index, detail: detail)
    }

    @inline(never)
    func tooDeep() -> FeatureDecodingError {
        invalid("nested deeper than \(JSONCursor.maximumDepth) levels")
    }

    @inline(never)
    func controlCharacter(_ byte: UInt8) -> FeatureDecodingError {
        invalid("control character 0x\(String(byte, radix: 16, uppercase: true)) in a string")
    }

    /// `invalid_json`: "unexpected" the current byte, then `context`.
    @inline(never)
    func invalid(unexpected context: StaticString) -> FeatureDecodingError {
        invalid("unexpected \(found) \(context)")
    }

    /// `invalid_json`: "expected `what`, found" the current byte.
    @inline(never)
    func unexpected(_ what: String) -> FeatureDecodingError {
        invalid("expected \(what), found \(found)")
    }

    /// What the current byte is, for messages.
    var found: String {
        guard index < end else { return "the end of the payload" }
        let byte = base[index]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            let byte = base[index]
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: StaticString) throws(FeatureDecodingError) {
        guard current == byte else { throw unexpected("\(what)") }
        index += 1
    }

    /// Steps over `true`, `false` or `null` whose first byte is current.
    @inline(__always)
    mutating func skipLiteral(_ literal: StaticString) throws(FeatureDecodingError) {
        let count = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        guard end - index >= count else { throw unexpected("'\(literal)'") }
        for offset in 1..<count where base[index + offset] != text[offset] {
            index += offset
            throw unexpected("'\(literal)'")
        }
        index += count
    }

    /// Steps over a string whose opening quote is current, and returns where its contents are and
    /// whether they contain escapes.
    @inline(__always)
    mutating func scanString() throws(FeatureDecodingError) -> (start: Int, count: Int, isEscaped: Bool) {
        index += 1
        let start = index
        var isEscaped = false
        while true {
            skipPlainStringBytes()
            guard index < end else { throw invalid("unterminated string") }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1 - start, isEscaped)
            }
            if byte == UInt8(ascii: "\\") {
                isEscaped = true
                try skipEscape()
            } else {
                throw controlCharacter(byte)
            }
        }
    }

    /// Advances to the next byte that needs attention in a string (a quote, a backslash or a
    /// control character), eight bytes at a time.
    @inline(__always)
    private mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(base)
        while end - index >= 8 {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            // The lowest flag is exact (borrows only run upward), so it is the first special byte.
            let flags = special & highs
            if flags != 0 {
                index += flags.trailingZeroBitCount >> 3
                return
            }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return }
            index += 1
        }
    }

    /// Steps over an escape sequence whose backslash is current.
    private mutating func skipEscape() throws(FeatureDecodingError) {
        index += 1
        switch current {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            for _ in 0..<4 {
                guard JSONCursor.hexValue(current) != nil else { throw unexpected("4 hex digits after '\\u'") }
                index += 1
            }
        default:
            throw invalid(unexpected: "after '\\' (not an escape)")
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Steps over any JSON value starting at the current byte, checking its grammar.
    mutating func skipValue(depth: Int) throws(FeatureDecodingError) {
        switch current {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        default: throw unexpected("a value")
        }
    }

    private mutating func skipObject(depth: Int) throws(FeatureDecodingError) {
        guard depth <= JSONCursor.maximumDepth else { throw tooDeep() }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw unexpected("a string key") }
            _ = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a key")
            skipWhitespace()
            try skipValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return
            default:
                throw unexpected("',' or '}' after an object member")
            }
        }
    }

    private mutating func skipArray(depth: Int) throws(FeatureDecodingError) {
        guard depth <= JSONCursor.maximumDepth else { throw tooDeep() }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try skipValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return
            default:
                throw unexpected("',' or ']' after an array element")
            }
        }
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Whether a number starts with this byte: the common case, read without a dispatch.
    @inline(__always)
    static func startsNumber(_ byte: UInt8) -> Bool { isDigit(byte) || byte == UInt8(ascii: "-") }

    /// Steps over a run of digits, eight bytes at a time where it can.
    @inline(__always)
    mutating func skipDigits() {
        let raw = UnsafeRawPointer(base)
        while end - index >= 8 {
            let run = EightDigits.leadingDigitCount(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += run
            if run < 8 { return }
        }
        while JSONCursor.isDigit(current) { index += 1 }
    }

    /// Consumes a run of digits (at least one is current), appending up to 19 in all to
    /// `mantissa`; the rest are dropped, `isTruncated` noting any that is not zero. Reads eight
    /// bytes at a time where it can, which avoids a mispredicted branch at the end of each number.
    @inline(__always)
    mutating func appendDigits(to mantissa: inout UInt64, used: inout Int, isTruncated: inout Bool) -> (appended: Int, dropped: Int) {
        var appended = 0
        let raw = UnsafeRawPointer(base)
        while end - index >= 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let run = EightDigits.leadingDigitCount(word)
            guard used + run <= 19 else { break }
            mantissa = mantissa &* EightDigits.powerOfTen(run) &+ EightDigits.value(word, count: run)
            used += run
            appended += run
            index += run
            if run < 8 { return (appended, 0) }
        }
        var dropped = 0
        while JSONCursor.isDigit(current) {
            let digit = current &- UInt8(ascii: "0")
            if used < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                used += 1
                appended += 1
            } else {
                dropped += 1
                isTruncated = isTruncated || digit != 0
            }
            index += 1
        }
        return (appended, dropped)
    }

    /// Steps over a number whose first byte (`-` or a digit) is current, checking its grammar.
    mutating func skipNumber() throws(FeatureDecodingError) {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit") }
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit after '.'") }
            skipDigits()
        }
        if current | 0x20 == UInt8(ascii: "e") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit in the exponent") }
            repeat { index += 1 } while JSONCursor.isDigit(current)
        }
    }

    /// The common number — up to seven integer digits, then optionally a point and one to fifteen
    /// fraction digits, nineteen digits at most, no exponent — read with one word load per eight
    /// digits and no loop, when at least sixteen bytes follow its sign (twenty-four for more than
    /// seven fraction digits). `nil`, with the cursor unmoved, for anything else (longer numbers,
    /// exponents, errors, the end of the payload), which ``readAnyFloat()`` reads.
    @inline(__always)
    mutating func readShortDecimal() -> Float? {
        let isNegative = base[index] == UInt8(ascii: "-")
        var position = index &+ (isNegative ? 1 : 0)
        guard end &- position >= 16 else { return nil }
        let raw = UnsafeRawPointer(base)
        let integerWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        let integerDigits = EightDigits.leadingDigitCount(integerWord)
        // A leading zero must stand alone; the general path reports it.
        guard integerDigits > 0, integerDigits < 8, integerDigits == 1 || base[position] != UInt8(ascii: "0") else { return nil }
        var mantissa = EightDigits.value(integerWord, count: integerDigits)
        var exponent = 0
        position &+= integerDigits
        if base[position] == UInt8(ascii: ".") {
            position &+= 1
            let fractionWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            var fractionDigits = EightDigits.leadingDigitCount(fractionWord)
            guard fractionDigits > 0 else { return nil }
            mantissa = mantissa &* EightDigits.powerOfTen(fractionDigits) &+ EightDigits.value(fractionWord, count: fractionDigits)
            if fractionDigits == 8 {
                guard end &- position >= 16 else { return nil }
                let moreWord = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position &+ 8, as: UInt64.self))
                let moreDigits = EightDigits.leadingDigitCount(moreWord)
                // Nineteen digits fit the mantissa; longer numbers take the general path.
                guard moreDigits < 8, integerDigits &+ 8 &+ moreDigits <= 19 else { return nil }
                mantissa = mantissa &* EightDigits.powerOfTen(moreDigits) &+ EightDigits.value(moreWord, count: moreDigits)
                fractionDigits &+= moreDigits
            }
            exponent = -fractionDigits
            position &+= fractionDigits
        }
        guard base[position] | 0x20 != UInt8(ascii: "e"),
              let value = DecimalToFloat.fastPath(mantissa: mantissa, exponent: exponent) else { return nil }
        index = position
        return isNegative ? -value : value
    }

    /// Reads a number whose first byte (`-` or a digit) is current, any the JSON grammar allows,
    /// rounded to the nearest `Float` (ties to even) as `Float(String)` would; a number that rounds
    /// to ±infinity is an `out_of_range` error.
    mutating func readAnyFloat() throws(FeatureDecodingError) -> Float {
        let start = index
        let isNegative = current == UInt8(ascii: "-")
        index &+= isNegative ? 1 : 0
        var mantissa: UInt64 = 0
        var used = 0
        var exponent = 0
        var isTruncated = false
        let first = current
        guard JSONCursor.isDigit(first) else { throw unexpected("a digit") }
        let integer = appendDigits(to: &mantissa, used: &used, isTruncated: &isTruncated)
        if first == UInt8(ascii: "0"), integer.appended + integer.dropped > 1 {
            index = index - integer.appended - integer.dropped + 1
            throw invalid(unexpected: "after a leading zero")
        }
        exponent += integer.dropped
        var byte = current
        if byte == UInt8(ascii: ".") {
            index += 1
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit after '.'") }
            let count = appendDigits(to: &mantissa, used: &used, isTruncated: &isTruncated)
            exponent -= count.appended
            byte = current
        }
        if byte | 0x20 == UInt8(ascii: "e") {
            index += 1
            var isExponentNegative = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
                isExponentNegative = current == UInt8(ascii: "-")
                index += 1
            }
            guard JSONCursor.isDigit(current) else { throw unexpected("a digit in the exponent") }
            var written = 0
            repeat {
                if written < 100_000 { written = written * 10 + Int(current &- UInt8(ascii: "0")) }
                index += 1
            } while JSONCursor.isDigit(current)
            exponent += isExponentNegative ? -written : written
        }
        if !isTruncated, let value = DecimalToFloat.fastPath(mantissa: mantissa, exponent: exponent) {
            return isNegative ? -value : value
        }
        let text = UnsafeBufferPointer(start: base + start, count: index - start)
        let value = DecimalToFloat.slowPath(text)
        guard value.isFinite else { throw outOfRange(text, at: start) }
        return value
    }

    /// `out_of_range` for the number `text` at `offset`, with the whole event as its path: the
    /// decoder names the feature.
    @inline(never)
    func outOfRange(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> FeatureDecodingError {
        let shown = text.count <= 24 ? String(decoding: text, as: UTF8.self) : "\(String(decoding: text.prefix(24), as: UTF8.self))… (\(text.count) bytes)"
        return FeatureDecodingError(.outOfRange, path: "$", offset: offset, detail: "\(shown) is beyond the range of a 32-bit float (±3.4028235e38)")
    }
}
