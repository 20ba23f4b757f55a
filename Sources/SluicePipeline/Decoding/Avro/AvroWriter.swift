/// Avro binary encoding of the few types Sluice writes itself (the demo's events, test events,
/// and the Protobuf framing's message indexes).
public enum AvroWriter {
    /// A zig-zag varint: Avro's `int` and `long`.
    public static func appendLong(_ value: Int64, to bytes: inout [UInt8]) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public static func appendFloat(_ value: Float, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// `string` or `bytes`: the length, then the bytes.
    public static func appendString(_ value: some Collection<UInt8>, to bytes: inout [UInt8]) {
        appendLong(Int64(value.count), to: &bytes)
        bytes.append(contentsOf: value)
    }
}
