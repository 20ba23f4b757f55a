/// A reusable byte buffer that JSON is written into: strings escaped per RFC 8259, floats in
/// their shortest round-trip form, no Foundation. ``reset()`` keeps the capacity, so encoding
/// record after record allocates nothing once the buffer has grown.
public struct JSONBuffer: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    public var count: Int { bytes.count }

    /// Removes the last byte written: the closing brace of an object a field is then added to.
    public mutating func removeLastByte() {
        bytes.removeLast()
    }

    /// Lends the bytes, e.g. to the producer, which copies them.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Appends JSON text as is (a fragment the caller knows to be valid).
    @inline(__always)
    public mutating func append(raw text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes as is.
    @inline(__always)
    public mutating func append(raw fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    @inline(__always)
    public mutating func append(raw fragment: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: fragment)
    }

    /// Appends `value` as a JSON string, quoted and escaped.
    public mutating func append(string value: String) {
        var value = value
        value.withUTF8 { append(stringBytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `bytes` are valid UTF-8, i.e. can be written as a JSON string. Checks ASCII eight
    /// bytes at a time, the usual case for keys.
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while bytes.count - index >= 8 {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count, bytes[index] < 0x80 { index += 1 }
        if index == bytes.count { return true }
        return String(validating: UnsafeRawBufferPointer(rebasing: bytes[index...]), as: UTF8.self) != nil
    }

    /// Appends UTF-8 bytes as a JSON string, quoted and escaped (``JSONString``). The bytes must be
    /// valid UTF-8.
    public mutating func append(stringBytes value: UnsafeRawBufferPointer) {
        JSONString.appendQuoted(value, to: &bytes)
    }

    /// Appends a decimal integer.
    @inline(__always)
    public mutating func append(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        append(unsigned: value.magnitude)
    }

    @inline(__always)
    public mutating func append(_ value: Int) { append(Int64(value)) }

    @inline(__always)
    public mutating func append(unsigned value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends a float in the shortest form that reads back as the same `Float`; non-finite
    /// values, which JSON cannot express, as `null`.
    @inline(__always)
    public mutating func append(_ value: Float) {
        guard value.isFinite else {
            append(raw: "null")
            return
        }
        // Float's description is the shortest round-trip text, at most 15 bytes, so it lives in
        // a small string without allocating.
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a double in its shortest round-trip form; non-finite values as `null`.
    public mutating func append(_ value: Double) {
        guard value.isFinite else {
            append(raw: "null")
            return
        }
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ value: Bool) {
        if value { append(raw: "true") } else { append(raw: "false") }
    }

    /// Appends a hash as a JSON string of 64 lower-case hex digits.
    public mutating func append(_ hash: SHA256Hash) {
        bytes.append(UInt8(ascii: "\""))
        appendHex(hash)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a hash's 64 lower-case hex digits, unquoted.
    public mutating func appendHex(_ hash: SHA256Hash) {
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            JSONBuffer.writeHex(hash.words.0, to: buffer.baseAddress!)
            JSONBuffer.writeHex(hash.words.1, to: buffer.baseAddress! + 16)
            JSONBuffer.writeHex(hash.words.2, to: buffer.baseAddress! + 32)
            JSONBuffer.writeHex(hash.words.3, to: buffer.baseAddress! + 48)
            bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
        }
    }

    @inline(__always)
    private static func writeHex(_ word: UInt64, to destination: UnsafeMutableRawPointer) {
        for position in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * position)) & 0xF
            // '0'...'9' then 'a'...'f': add 39 more past '9'.
            destination.storeBytes(of: nibble &+ 48 &+ (nibble > 9 ? 39 : 0), toByteOffset: position, as: UInt8.self)
        }
    }

    /// Appends bytes as a JSON string in standard base64 (RFC 4648, padded).
    public mutating func append(base64 value: UnsafeRawBufferPointer) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = alphabet.utf8Start
        bytes.append(UInt8(ascii: "\""))
        var index = 0
        while index + 3 <= value.count {
            let chunk = UInt32(value[index]) << 16 | UInt32(value[index + 1]) << 8 | UInt32(value[index + 2])
            for shift in [18, 12, 6, 0] { bytes.append(table[Int((chunk >> UInt32(shift)) & 0x3F)]) }
            index += 3
        }
        let rest = value.count - index
        if rest > 0 {
            let chunk = UInt32(value[index]) << 16 | (rest == 2 ? UInt32(value[index + 1]) << 8 : 0)
            bytes.append(table[Int(chunk >> 18 & 0x3F)])
            bytes.append(table[Int(chunk >> 12 & 0x3F)])
            bytes.append(rest == 2 ? table[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            bytes.append(UInt8(ascii: "="))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
