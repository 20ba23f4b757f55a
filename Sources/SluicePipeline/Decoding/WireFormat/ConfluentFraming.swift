/// The Confluent Schema Registry wire format: byte 0 is the magic byte `0`, bytes 1–4 the
/// writer schema's id (big-endian), and the rest the Avro payload; a Protobuf payload is preceded
/// by the message-index list (a zig-zag varint count, then that many zig-zag varint indexes; a
/// single `0` byte stands for `[0]`, the file's first message).
public enum ConfluentFraming {
    /// The header's length before any Protobuf message indexes.
    public static let headerLength = 5

    /// The schema id and where the Avro payload starts, or an `invalid_wire_format` error.
    @inline(__always)
    public static func schemaID(of payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) -> Int32 {
        guard payload.count >= headerLength else {
            throw FeatureDecodingError(.invalidWireFormat, path: "$", offset: payload.count, detail: "\(payload.count) bytes, shorter than the 5-byte Confluent header")
        }
        guard payload[0] == 0 else {
            throw FeatureDecodingError(.invalidWireFormat, path: "$", offset: 0, detail: "magic byte \(payload[0]), expected 0")
        }
        return Int32(bitPattern: UInt32(payload[1]) << 24 | UInt32(payload[2]) << 16 | UInt32(payload[3]) << 8 | UInt32(payload[4]))
    }

    /// Checks the header, whatever its schema id, and returns where the Avro record starts.
    @inline(__always)
    public static func avroRecordStart(of payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) -> Int {
        _ = try schemaID(of: payload)
        return headerLength
    }

    /// The Protobuf message-index path after the header, and the offset where the message starts.
    public static func messageIndexes(of payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) -> (indexes: [Int], messageStart: Int) {
        var indexes: [Int] = []
        let start = try readMessageIndexes(of: payload) { indexes.append($0) }
        return (indexes.isEmpty ? [0] : indexes, start)
    }

    /// Checks the header and the Protobuf message-index list after it without keeping the
    /// indexes, and returns the offset where the message starts.
    @inline(__always)
    public static func protobufMessageStart(of payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) -> Int {
        _ = try schemaID(of: payload)
        return try readMessageIndexes(of: payload) { _ in }
    }

    /// A Protobuf event's header without allocating: the schema id, the message-index list's
    /// bytes packed with their count when at most 7 (`nil` for a longer list), and where the
    /// message starts. Equal packed lists name the same message.
    @inline(__always)
    static func protobufHeader(of payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) -> (schemaID: Int32, indexList: UInt64?, messageStart: Int) {
        let id = try schemaID(of: payload)
        let start = try readMessageIndexes(of: payload) { _ in }
        let count = start - headerLength
        guard count <= 7 else { return (id, nil, start) }
        var packed = UInt64(count) << 56
        for offset in 0..<count { packed |= UInt64(payload[headerLength + offset]) << (8 * offset) }
        return (id, packed, start)
    }

    /// Reads the message-index list after the header, handing each index to `visit` (none for
    /// the short form of `[0]`); returns where the message starts.
    private static func readMessageIndexes(of payload: UnsafeRawBufferPointer, _ visit: (Int) -> Void) throws(FeatureDecodingError) -> Int {
        var reader = BinaryReader(payload, from: headerLength)
        let count = try wireFormat { () throws(FeatureDecodingError) in try reader.readLong() }
        guard count >= 0, count <= 64 else {
            throw FeatureDecodingError(.invalidWireFormat, path: "$", offset: headerLength, detail: "message-index count \(count) out of range")
        }
        for _ in 0..<count {
            let index = try wireFormat { () throws(FeatureDecodingError) in try reader.readLong() }
            guard index >= 0, index < Int(Int32.max) else {
                throw FeatureDecodingError(.invalidWireFormat, path: "$", offset: reader.position, detail: "message index \(index) out of range")
            }
            visit(Int(index))
        }
        return reader.position
    }

    /// A truncated or overlong varint in the header is the framing's fault, not the message's.
    private static func wireFormat<R>(_ read: () throws(FeatureDecodingError) -> R) throws(FeatureDecodingError) -> R {
        do {
            return try read()
        } catch {
            throw FeatureDecodingError(.invalidWireFormat, path: "$", offset: error.offset, detail: "the message-index list: \(error.detail)")
        }
    }

    /// Prefixes `body` with the header for `schemaID`, as producers of the format do.
    public static func frame(schemaID: Int32, messageIndexes: [Int]? = nil, body: [UInt8]) -> [UInt8] {
        let id = UInt32(bitPattern: schemaID)
        var bytes: [UInt8] = [0, UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
        if let messageIndexes {
            if messageIndexes == [0] {
                bytes.append(0)
            } else {
                AvroWriter.appendLong(Int64(messageIndexes.count), to: &bytes)
                for index in messageIndexes { AvroWriter.appendLong(Int64(index), to: &bytes) }
            }
        }
        return bytes + body
    }
}
