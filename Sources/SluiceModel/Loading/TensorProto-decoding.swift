import Foundation
import SluiceKernels

/// Why a tensor, type or attribute in the file cannot be read; the caller says which one it is.
struct DecodingFailure: Error {
    var reason: String

    init(_ reason: String) { self.reason = reason }
}

extension ElementType {
    /// The element type of ONNX `TensorProto.DataType` code `code`, or `nil` when Sluice has no such type.
    init?(onnxDataType code: Int32) {
        switch Onnx_TensorProto.DataType(rawValue: Int(code)) {
        case .float: self = .float
        case .double: self = .double
        case .int64: self = .int64
        case .int32: self = .int32
        case .bool: self = .bool
        case .string: self = .string
        default: return nil
        }
    }

    /// ONNX's name of data type `code`, for messages.
    static func onnxName(of code: Int32) -> String {
        guard let type = Onnx_TensorProto.DataType(rawValue: Int(code)) else { return "unknown data type \(code)" }
        return "\(type)"
    }

    /// Decodes an ONNX element type, failing with a message that names the type Sluice lacks.
    static func decoding(onnxDataType code: Int32) throws -> ElementType {
        guard let type = ElementType(onnxDataType: code) else {
            throw DecodingFailure(
                "element type \(onnxName(of: code)) is not supported (Sluice supports float, double, int64, int32, bool and string)"
            )
        }
        return type
    }
}

extension Tensor {
    /// Decodes an ONNX tensor from its raw little-endian bytes or its typed fields.
    ///
    /// With `wideningSmallIntegers`, int8, uint8, int16 and uint16 tensors become int32 tensors of
    /// the same values: attributes such as `TreeEnsemble`'s `nodes_modes` are stored that way and
    /// operators read them as integers. Values flowing through the graph are never widened, since
    /// that would change the type operators see.
    init(onnx proto: Onnx_TensorProto, wideningSmallIntegers: Bool = false) throws {
        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            throw DecodingFailure(
                "its data is stored in an external file; Sluice loads self-contained models only "
                    + "(re-save it with onnx.save_model(model, path, save_as_external_data=False))"
            )
        }
        guard proto.dims.allSatisfy({ $0 >= 0 }) else {
            throw DecodingFailure("it has a negative dimension in \(proto.dims)")
        }
        let shape = proto.dims.map { Int($0) }
        let count = shape.reduce(1, *)
        let raw = proto.hasRawData ? proto.rawData : nil
        if wideningSmallIntegers, let small = try Self.smallIntegers(proto, raw: raw, count: count) {
            self.init(shape: shape, int32s: small)
            return
        }
        let type = try ElementType.decoding(onnxDataType: proto.dataType)
        let storage: TensorStorage
        switch type {
        case .float:
            storage = .float(try Self.elements(raw, proto.floatData, count: count, as: UInt32.self) { Float(bitPattern: $0) })
        case .double:
            storage = .double(try Self.elements(raw, proto.doubleData, count: count, as: UInt64.self) { Double(bitPattern: $0) })
        case .int64:
            storage = .int64(try Self.elements(raw, proto.int64Data, count: count, as: Int64.self) { $0 })
        case .int32:
            storage = .int32(try Self.elements(raw, proto.int32Data, count: count, as: Int32.self) { $0 })
        case .bool:
            let bytes: [UInt8] = try Self.elements(raw, proto.int32Data.map { UInt8(truncatingIfNeeded: $0) }, count: count, as: UInt8.self) { $0 }
            storage = .bool(bytes.map { $0 != 0 })
        case .string:
            guard proto.stringData.count == count else {
                throw DecodingFailure("it has \(proto.stringData.count) strings for shape \(shape)")
            }
            storage = .string(proto.stringData.map { String(decoding: $0, as: UTF8.self) })
        }
        self.init(shape: shape, storage: storage)
    }

    /// The values of an int8, uint8, int16 or uint16 tensor, or `nil` for another type.
    private static func smallIntegers(_ proto: Onnx_TensorProto, raw: Data?, count: Int) throws -> [Int32]? {
        switch Onnx_TensorProto.DataType(rawValue: Int(proto.dataType)) {
        case .uint8: try elements(raw, proto.int32Data.map { UInt8(truncatingIfNeeded: $0) }, count: count, as: UInt8.self) { $0 }.map(Int32.init)
        case .int8: try elements(raw, proto.int32Data.map { Int8(truncatingIfNeeded: $0) }, count: count, as: Int8.self) { $0 }.map(Int32.init)
        case .uint16: try elements(raw, proto.int32Data.map { UInt16(truncatingIfNeeded: $0) }, count: count, as: UInt16.self) { $0 }.map(Int32.init)
        case .int16: try elements(raw, proto.int32Data.map { Int16(truncatingIfNeeded: $0) }, count: count, as: Int16.self) { $0 }.map(Int32.init)
        default: nil
        }
    }

    /// The elements from little-endian `raw` bytes when present, else from the typed field.
    private static func elements<Element, Word: FixedWidthInteger>(
        _ raw: Data?,
        _ typed: [Element],
        count: Int,
        as word: Word.Type,
        _ convert: (Word) -> Element
    ) throws -> [Element] {
        guard let raw else {
            guard typed.count == count else {
                throw DecodingFailure("it has \(typed.count) elements where its shape needs \(count)")
            }
            return typed
        }
        let width = MemoryLayout<Word>.size
        guard raw.count == count * width else {
            throw DecodingFailure("its raw data has \(raw.count) bytes where its shape needs \(count * width)")
        }
        return raw.withUnsafeBytes { bytes in
            (0..<count).map { convert(Word(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * width, as: Word.self))) }
        }
    }
}
