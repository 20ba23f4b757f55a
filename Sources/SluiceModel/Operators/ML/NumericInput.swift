import SluiceKernels

/// The numeric element types the preprocessing and linear operators accept; onnxruntime casts them all to float.
let numericTypes: Set<ElementType> = [.float, .double, .int64, .int32]

extension Tensor {
    /// The elements as floats, cast from double or integer storage like onnxruntime's `static_cast<float>`,
    /// or `nil` for bool and string tensors.
    var elementsAsFloats: [Float]? {
        switch storage {
        case .float(let values): values
        case .double(let values): values.map { Float($0) }
        case .int64(let values): values.map { Float($0) }
        case .int32(let values): values.map { Float($0) }
        case .bool, .string: nil
        }
    }

    /// ``elementsAsFloats``, failing with a message naming `input` when the tensor is not numeric.
    func floatsCast(_ input: String) throws -> [Float] {
        guard let values = elementsAsFloats else {
            throw OperatorError("input \(input) must be numeric, not \(elementType)")
        }
        return values
    }
}

/// Fails at load time unless `info` has one of `types`.
func requireType(_ info: ValueInfo, _ name: String, in types: Set<ElementType>) throws {
    guard types.contains(info.elementType) else {
        let allowed = types.map(\.rawValue).sorted().joined(separator: ", ")
        throw OperatorError("input \(name) must be one of \(allowed), not \(info.elementType)")
    }
}

/// The shape of a `[N, C]` output computed row by row from an input of shape `info`: the batch and `columns`.
func rowsShape(_ info: ValueInfo, columns: Dimension) -> [Dimension] {
    [batchDimension(of: info), columns]
}
