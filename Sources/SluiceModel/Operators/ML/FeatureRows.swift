import SluiceKernels

/// The rows of a tree or linear model's input: `[N, F]`, or `[F]` for a single row.
struct FeatureRows<Scalar: FloatingPointElement> {
    var values: [Scalar]
    var rowCount: Int
    var featureCount: Int

    init(_ tensor: Tensor) throws {
        guard let values = Scalar.elements(of: tensor) else {
            throw OperatorError("input X holds \(tensor.elementType), not \(Scalar.elementType) as at load time")
        }
        switch tensor.rank {
        case 1:
            rowCount = 1
            featureCount = tensor.shape[0]
        case 2:
            rowCount = tensor.shape[0]
            featureCount = tensor.shape[1]
        default:
            throw OperatorError("input X must be [N, F] or [F], not \(tensor.shape)")
        }
        self.values = values
    }
}

extension FeatureRows where Scalar == Float {
    /// The rows of a numeric tensor as floats, cast as onnxruntime casts the inputs of its float-only kernels.
    static func castingToFloat(_ tensor: Tensor) throws -> FeatureRows<Float> {
        try FeatureRows(tensor.elementType == .float ? tensor : Tensor(shape: tensor.shape, floats: tensor.floatsCast("X")))
    }
}

/// Checks the input of a model that reads features: its element type and rank, at load time.
func requireFeatureInput(_ info: ValueInfo, types: Set<ElementType>) throws {
    guard types.contains(info.elementType) else {
        let allowed = types.map(\.rawValue).sorted().joined(separator: " or ")
        throw OperatorError("input X must be \(allowed), not \(info.elementType)")
    }
    if let rank = info.rank, rank != 1 && rank != 2 {
        throw OperatorError("input X must have rank 1 or 2, not \(rank)")
    }
}

/// The batch dimension of the outputs of a model whose input is `info`.
func batchDimension(of info: ValueInfo) -> Dimension {
    guard let shape = info.shape else { return .dynamic(nil) }
    return shape.count == 2 ? shape[0] : .fixed(1)
}

/// The feature dimension of `info`, when the model fixes it.
func featureCount(of info: ValueInfo) -> Int? {
    info.shape?.last?.fixedSize
}
