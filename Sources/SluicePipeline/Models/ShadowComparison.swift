import SluiceKernels

/// How the shadow model's outputs for one batch compare with the serving model's, for metrics.
///
/// Labels are each model's first integer or string output, scores its first floating-point
/// output; a comparison is made only when both models have one, of the same width per row.
public struct ShadowComparison: Sendable {
    /// The rows of the batch.
    public var rows: Int
    /// Whether the shadow model scored the batch; its records carry the error otherwise.
    public var scored: Bool
    /// The rows whose labels were compared (0 without labels on both sides), and those that agreed.
    public var labelsCompared = 0
    public var labelsAgreeing = 0
    /// Per row whose scores were compared, the largest absolute difference between them.
    public var scoreDifferences: [Double] = []

    init(served: [Tensor], shadow: [Tensor]?, rows: Int) {
        self.rows = rows
        scored = shadow != nil
        guard let shadow else { return }
        let isLabel = { (tensor: Tensor) in [.int64, .int32, .string].contains(tensor.elementType) }
        let isScore = { (tensor: Tensor) in [.float, .double].contains(tensor.elementType) }
        if let left = served.first(where: isLabel), let right = shadow.first(where: isLabel), let width = Self.width(left, right, rows) {
            labelsCompared = rows
            for row in 0..<rows where (0..<width).allSatisfy({
                GoldenValue(left.storage, at: row * width + $0) == GoldenValue(right.storage, at: row * width + $0)
            }) {
                labelsAgreeing += 1
            }
        }
        if let left = served.first(where: isScore), let right = shadow.first(where: isScore), let width = Self.width(left, right, rows) {
            scoreDifferences.reserveCapacity(rows)
            for row in 0..<rows {
                var largest = 0.0
                for column in 0..<width {
                    let index = row * width + column
                    guard case .number(let a) = GoldenValue(left.storage, at: index), case .number(let b) = GoldenValue(right.storage, at: index) else {
                        largest = .infinity
                        break
                    }
                    largest = max(largest, abs(a - b))
                }
                scoreDifferences.append(largest)
            }
        }
    }

    /// The elements per row both tensors have, when they hold the same number for `rows` rows.
    private static func width(_ left: Tensor, _ right: Tensor, _ rows: Int) -> Int? {
        guard rows > 0, left.count == right.count, left.count % rows == 0 else { return nil }
        return left.count / rows
    }
}
