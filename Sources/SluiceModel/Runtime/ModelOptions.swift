/// How ``Model`` loads and checks a model. The defaults suit serving exported tabular models.
public struct ModelOptions: Sendable {
    /// Whether predictions accept NaN in float inputs.
    public var missingValues: MissingValuePolicy
    /// Treats the first dimension of every graph input of rank 2 or more as the batch, even when the
    /// exporter fixed it (PyTorch exports often say 1), so any batch size can be scored.
    public var dynamicBatch: Bool
    /// The operators to compile nodes with.
    public var registry: OperatorRegistry

    public init(
        missingValues: MissingValuePolicy = .automatic,
        dynamicBatch: Bool = true,
        registry: OperatorRegistry = .standard
    ) {
        self.missingValues = missingValues
        self.dynamicBatch = dynamicBatch
        self.registry = registry
    }
}

/// What a prediction does with NaN in a float or double input.
///
/// NaN is how tabular data says "missing". Tree ensembles route it down each node's missing-value
/// branch and imputers replace it, so models containing them are defined for NaN. Everything else
/// (linear models, scalers, MLPs) would silently turn it into a NaN score, so those reject it with
/// an error naming the row and feature.
public enum MissingValuePolicy: Sendable, Hashable {
    /// Accept NaN when the model contains an operator that handles missing values
    /// (`TreeEnsembleClassifier`, `TreeEnsembleRegressor`, `TreeEnsemble`, `Imputer`), reject it otherwise.
    case automatic
    /// Always accept NaN and let it flow through the graph as IEEE arithmetic defines.
    case accept
    /// Always reject NaN.
    case reject
}
