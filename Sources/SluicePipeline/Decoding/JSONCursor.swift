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
}
