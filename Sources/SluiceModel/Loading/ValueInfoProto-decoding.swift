import SluiceKernels

extension ValueInfo {
    /// What a graph input or output declares about itself. Only tensors are supported as inputs;
    /// a sequence of maps (ZipMap's output) is read as the map's value type with unknown shape.
    init(onnx proto: Onnx_ValueInfoProto) throws {
        guard proto.hasType, let value = proto.type.value else {
            throw DecodingFailure("its type is missing or is one Sluice does not support (optional, sparse or opaque)")
        }
        switch value {
        case .tensorType(let tensor):
            self.init(
                elementType: try ElementType.decoding(onnxDataType: tensor.elemType),
                shape: tensor.hasShape ? tensor.shape.dim.map(Dimension.init(onnx:)) : nil
            )
        case .sequenceType(let sequence):
            guard case .mapType(let map)? = sequence.elemType.value,
                  case .tensorType(let values)? = map.valueType.value else {
                throw DecodingFailure("it is a sequence of something other than maps, which Sluice does not support")
            }
            self.init(elementType: try ElementType.decoding(onnxDataType: values.elemType), shape: nil)
        case .mapType:
            throw DecodingFailure("it is a map, which Sluice supports only as a sequence of maps (ZipMap's output)")
        }
    }

    /// Whether ONNX types this value as a sequence of maps, the way ZipMap's output is declared.
    static func isSequenceOfMaps(_ proto: Onnx_ValueInfoProto) -> Bool {
        if case .sequenceType? = proto.type.value { return true }
        return false
    }
}

extension Dimension {
    init(onnx proto: Onnx_TensorShapeProto.Dimension) {
        switch proto.value {
        case .dimValue(let size)?: self = .fixed(Int(size))
        case .dimParam(let name)?: self = .dynamic(name.isEmpty ? nil : name)
        case nil: self = .dynamic(nil)
        }
    }
}

extension AttributeValue {
    /// Decodes a node attribute; subgraphs, sparse tensors and type attributes are not supported.
    init(onnx proto: Onnx_AttributeProto) throws {
        if proto.hasRefAttrName {
            throw DecodingFailure("it refers to a function attribute, which Sluice does not support")
        }
        switch proto.type {
        case .float: self = .float(proto.f)
        case .int: self = .int(proto.i)
        case .string: self = .string(String(decoding: proto.s, as: UTF8.self))
        case .tensor:
            do {
                self = .tensor(try Tensor(onnx: proto.t, wideningSmallIntegers: true))
            } catch let failure as DecodingFailure {
                throw DecodingFailure("its tensor cannot be read: \(failure.reason)")
            }
        case .floats: self = .floats(proto.floats)
        case .ints: self = .ints(proto.ints)
        case .strings: self = .strings(proto.strings.map { String(decoding: $0, as: UTF8.self) })
        case .graph, .graphs:
            throw DecodingFailure("it is a subgraph; Sluice does not support control flow (If, Loop, Scan)")
        case .tensors, .sparseTensor, .sparseTensors, .typeProto, .typeProtos:
            throw DecodingFailure("it is of type \(proto.type), which Sluice does not support")
        case .undefined:
            throw DecodingFailure("it has no type")
        }
    }
}
