import SwiftProtobuf

/// The Protobuf field types a feature column can be read from, and how each is on the wire.
enum ProtobufNumber: Sendable {
    case double, float, int32, int64, uint32, uint64, sint32, sint64, fixed32, fixed64, sfixed32, sfixed64, bool, enumeration

    init?(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) {
        switch type {
        case .double: self = .double
        case .float: self = .float
        case .int32: self = .int32
        case .int64: self = .int64
        case .uint32: self = .uint32
        case .uint64: self = .uint64
        case .sint32: self = .sint32
        case .sint64: self = .sint64
        case .fixed32: self = .fixed32
        case .fixed64: self = .fixed64
        case .sfixed32: self = .sfixed32
        case .sfixed64: self = .sfixed64
        case .bool: self = .bool
        case .enum: self = .enumeration
        default: return nil
        }
    }

    /// The wire type of one value: 0 varint, 1 64-bit, 5 32-bit.
    var wireType: UInt64 {
        switch self {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        default: 0
        }
    }

    /// Reads one value of a signed 64-bit type, or of an integer type (or enum) of at most 32
    /// bits, as an `Int64`, exactly.
    @inline(__always)
    func integer(_ reader: inout BinaryReader) throws(FeatureDecodingError) -> Int64 {
        switch self {
        case .int64: return Int64(bitPattern: try reader.readVarint())
        case .sint64: return try reader.readLong()
        case .sfixed64: return Int64(bitPattern: try reader.readFixed64())
        default: return Int64(try read(&reader))
        }
    }

    /// Reads one value, as a `Double` so that 64-bit integers round once, to `Float`, later.
    @inline(__always)
    func read(_ reader: inout BinaryReader) throws(FeatureDecodingError) -> Double {
        switch self {
        case .double: return try reader.readDouble()
        case .float: return Double(try reader.readFloat())
        case .int32: return Double(Int32(truncatingIfNeeded: try reader.readVarint()))
        case .int64: return Double(Int64(bitPattern: try reader.readVarint()))
        case .uint32: return Double(UInt32(truncatingIfNeeded: try reader.readVarint()))
        case .uint64: return Double(try reader.readVarint())
        case .sint32: return Double(Int32(truncatingIfNeeded: try reader.readLong()))
        case .sint64: return Double(try reader.readLong())
        case .fixed32: return Double(try reader.readFixed32())
        case .fixed64: return Double(try reader.readFixed64())
        case .sfixed32: return Double(Int32(bitPattern: try reader.readFixed32()))
        case .sfixed64: return Double(Int64(bitPattern: try reader.readFixed64()))
        case .bool: return try reader.readVarint() == 0 ? 0 : 1
        case .enumeration: return Double(Int32(truncatingIfNeeded: try reader.readVarint()))
        }
    }
}
