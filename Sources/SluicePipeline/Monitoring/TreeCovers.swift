import SluiceKernels

/// How many reference rows passed through each node of a tree ensemble: its branches and its
/// leaves, in the order of the model's ``TreeEnsembleDefinition`` (the ONNX node lists' order,
/// branches and leaves counted apart).
public struct TreeCovers: Codable, Sendable, Hashable {
    public var branches: [Double]
    public var leaves: [Double]

    /// Zero covers for every node of `definition`.
    public init(for definition: TreeEnsembleDefinition<Float>) {
        branches = [Double](repeating: 0, count: definition.branches.count)
        leaves = [Double](repeating: 0, count: definition.leaves.count)
    }

    /// Counts `rowCount` rows of `featureCount` values (row-major) through `definition`'s trees.
    public mutating func count(_ rows: [Float], rowCount: Int, featureCount: Int, through definition: TreeEnsembleDefinition<Float>) {
        rows.withUnsafeBufferPointer { rows in
            TreeExplainer.countCovers(
                of: definition, rows: rows, rowCount: rowCount, featureCount: featureCount, branches: &branches, leaves: &leaves
            )
        }
    }
}
