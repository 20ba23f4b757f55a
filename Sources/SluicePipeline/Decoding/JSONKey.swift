/// Comparison of object keys, as they appear in the payload, with the keys the spec names.
enum JSONKey {
    /// The first eight bytes at `bytes` as a little-endian word, keeping only the first `count`;
    /// all eight must be readable.
    @inline(__always)
    static func prefix(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
        return count >= 8 ? word : word & ((1 << (UInt64(count) &* 8)) &- 1)
    }

    /// ``prefix(_:count:)`` for a key the decoder owns.
    static func prefix(of key: some Collection<UInt8>) -> UInt64 {
        key.prefix(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @inline(__always)
    static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            if lhs[index] != rhs[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether the escaped key text `raw` (already checked by the grammar) means `expected`.
    static func unescaped(_ raw: UnsafePointer<UInt8>, count: Int, equals expected: UnsafePointer<UInt8>, count expectedCount: Int) -> Bool {
        var matched = 0
        let complete = forEachUnescapedByte(raw, count: count) { byte in
            guard matched < expectedCount, expected[matched] == byte else { return false }
            matched += 1
            return true
        }
        return complete && matched == expectedCount
    }

    /// Appends the UTF-8 bytes the escaped string text `raw` (already checked by the grammar) means.
    static func appendUnescaped(_ raw: UnsafePointer<UInt8>, count: Int, to bytes: inout [UInt8]) {
        _ = forEachUnescapedByte(raw, count: count) { byte in
            bytes.append(byte)
            return true
        }
    }

    /// Calls `emit` with each byte the escaped text means, until it returns `false`; returns
    /// whether every byte was emitted (a lone surrogate escape stops it).
    private static func forEachUnescapedByte(_ raw: UnsafePointer<UInt8>, count: Int, _ emit: (UInt8) -> Bool) -> Bool {
        var index = 0
        func hex4(at position: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | (JSONCursor.hexValue(raw[position + $1]) ?? 0) }
        }
        while index < count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                guard emit(byte) else { return false }
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            var scalarValue: UInt32
            switch escape {
            case UInt8(ascii: "b"): scalarValue = 0x08
            case UInt8(ascii: "f"): scalarValue = 0x0C
            case UInt8(ascii: "n"): scalarValue = 0x0A
            case UInt8(ascii: "r"): scalarValue = 0x0D
            case UInt8(ascii: "t"): scalarValue = 0x09
            case UInt8(ascii: "u"):
                scalarValue = hex4(at: index)
                index += 4
                if (0xD800..<0xDC00).contains(scalarValue), index + 6 <= count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") {
                    let low = hex4(at: index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
            default: scalarValue = UInt32(escape)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return false }
            for unit in UTF8.encode(scalar)! where !emit(unit) {
                return false
            }
        }
        return true
    }
}

/// Names of JSON value kinds, for messages.
enum JSONKind {
    static func name(startingWith byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }
}
