import SluiceKernels

/// The floating-point element types the tree and linear kernels run in: the type of the model's input.
/// Its ``DenseElement/elementType`` names it in errors.
protocol FloatingPointElement: BinaryFloatingPoint & DenseElement {
    /// The tensor's elements when it holds this type.
    static func elements(of tensor: Tensor) -> [Self]?
    static func tensor(shape: [Int], _ values: [Self]) -> Tensor
}

extension Float: FloatingPointElement {
    static func elements(of tensor: Tensor) -> [Float]? { tensor.floats }
    static func tensor(shape: [Int], _ values: [Float]) -> Tensor { Tensor(shape: shape, floats: values) }
}

extension Double: FloatingPointElement {
    static func elements(of tensor: Tensor) -> [Double]? { tensor.doubles }
    static func tensor(shape: [Int], _ values: [Double]) -> Tensor { Tensor(shape: shape, doubles: values) }
}

extension OperatorNode {
    /// A list of reals given either as `name` (floats) or as `name_as_tensor` (a tensor of the input's
    /// type, which is how exporters keep double precision), or `nil` when neither is present.
    ///
    /// Like onnxruntime, a `_as_tensor` attribute must have the input's element type.
    func reals<Scalar: FloatingPointElement>(_ name: String, as _: Scalar.Type = Scalar.self) throws -> [Scalar]? {
        let tensorName = name + "_as_tensor"
        switch (hasAttribute(name), hasAttribute(tensorName)) {
        case (true, true):
            throw OperatorError("attributes '\(name)' and '\(tensorName)' are exclusive")
        case (true, false):
            return try floats(name).map { Scalar($0) }
        case (false, true):
            let tensor = try tensor(tensorName)
            guard let values = Scalar.elements(of: tensor) else {
                throw OperatorError(
                    "attribute '\(tensorName)' holds \(tensor.elementType) but the input is \(Scalar.elementType); they must match"
                )
            }
            return values
        case (false, false):
            return nil
        }
    }

    /// A tensor attribute of reals that must have the input's element type (`TreeEnsemble`'s splits and weights).
    func realTensor<Scalar: FloatingPointElement>(_ name: String, as _: Scalar.Type = Scalar.self) throws -> [Scalar] {
        let tensor = try tensor(name)
        guard let values = Scalar.elements(of: tensor) else {
            throw OperatorError(
                "attribute '\(name)' holds \(tensor.elementType) but the input is \(Scalar.elementType); they must match"
            )
        }
        return values
    }

    /// The integer elements of a tensor attribute (int64, int32 or bool storage), for attributes such as
    /// `nodes_modes` that ONNX stores as small-integer tensors.
    func integerTensor(_ name: String) throws -> [Int64] {
        let tensor = try tensor(name)
        switch tensor.storage {
        case .int64(let values): return values
        case .int32(let values): return values.map(Int64.init)
        case .bool(let values): return values.map { $0 ? 1 : 0 }
        default: throw OperatorError("attribute '\(name)' must be an integer tensor, not \(tensor.elementType)")
        }
    }
}
