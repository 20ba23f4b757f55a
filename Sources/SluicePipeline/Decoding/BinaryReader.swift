/// A bounds-checked cursor over Avro or Protobuf binary data: every read past the end, and every
/// varint longer than its type allows, is a `malformed_payload`. Numbers are little-endian, as
/// both formats write them.
struct BinaryReader {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int

    init(_ payload: UnsafeRawBufferPointer, from position: Int) {
        // An empty buffer's base address may be nil; any non-null pointer serves, as nothing is read.
        base = payload.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        end = payload.count
        self.position = position
    }

    var remaining: Int { end - position }

    /// A zig-zag varint of at most 10 bytes (Avro's `long`, Protobuf's `sint64`).
    @inline(__always)
    mutating func readLong() throws(FeatureDecodingError) -> Int64 {
        let value = try readVarint()
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// A varint of at most 10 bytes.
    @inline(__always)
    mutating func readVarint() throws(FeatureDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw truncated() }
            let byte = base[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw malformed("a varint longer than 10 bytes") }
        }
        return value
    }

    @inline(__always)
    mutating func readFixed32() throws(FeatureDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw truncated() }
        let bits = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: bits)
    }

    @inline(__always)
    mutating func readFixed64() throws(FeatureDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw truncated() }
        let bits = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: bits)
    }

    /// A zig-zag varint that must fit 32 bits (Avro's `int`).
    @inline(__always)
    mutating func readInt() throws(FeatureDecodingError) -> Int32 {
        let start = position
        let value = try readLong()
        guard let int = Int32(exactly: value) else {
            position = start
            throw malformed("an int beyond 32 bits")
        }
        return int
    }

    @inline(__always)
    mutating func readFloat() throws(FeatureDecodingError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    @inline(__always)
    mutating func readDouble() throws(FeatureDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// A boolean: exactly one byte, 0 or 1.
    @inline(__always)
    mutating func readBoolean() throws(FeatureDecodingError) -> Bool {
        guard position < end else { throw truncated() }
        let byte = base[position]
        guard byte <= 1 else { throw malformed("boolean byte \(byte)") }
        position += 1
        return byte == 1
    }

    @inline(__always)
    mutating func skip(_ count: Int) throws(FeatureDecodingError) {
        guard count >= 0, end - position >= count else { throw truncated() }
        position += count
    }

    /// Steps over `bytes` or `string`: a `long` length, then that many bytes.
    @inline(__always)
    mutating func skipLengthPrefixed() throws(FeatureDecodingError) {
        _ = try readLengthPrefixed()
    }

    /// Reads `bytes` or `string` (a `long` length, then that many bytes): the bytes, in place.
    @inline(__always)
    mutating func readLengthPrefixed() throws(FeatureDecodingError) -> UnsafeRawBufferPointer {
        let start = position
        let length = try readLong()
        guard length >= 0, length <= Int64(end - position) else {
            position = start
            throw malformed("a length of \(length) with \(end - position) bytes left")
        }
        let bytes = UnsafeRawBufferPointer(start: base + position, count: Int(length))
        position += Int(length)
        return bytes
    }

    @inline(never)
    func truncated() -> FeatureDecodingError {
        FeatureDecodingError(.malformedPayload, path: "$", offset: position, detail: "the payload ends inside a value")
    }

    @inline(never)
    func malformed(_ what: String) -> FeatureDecodingError {
        FeatureDecodingError(.malformedPayload, path: "$", offset: position, detail: what)
    }
}
