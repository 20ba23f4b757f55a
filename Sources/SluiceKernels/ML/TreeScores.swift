/// The aggregated scores of a batch of rows, before base values and post-transforms: `rowCount × targetCount`,
/// row-major, with a flag per score saying whether any leaf voted for it.
///
/// The flags matter because onnxruntime treats a score no tree voted for as absent: it is left out of
/// a classifier's arg-max and written as zero.
public struct TreeScores<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var rowCount: Int
    public var targetCount: Int
    public var values: [Scalar]
    public var scored: [Bool]

    /// Zero scores, none voted for, for `rowCount` rows.
    public init(rowCount: Int, targetCount: Int) {
        self.rowCount = rowCount
        self.targetCount = targetCount
        values = [Scalar](repeating: 0, count: rowCount * targetCount)
        scored = [Bool](repeating: false, count: rowCount * targetCount)
    }

    /// Resets to zero scores for `rowCount` rows, keeping the arrays' capacity.
    public mutating func reset(rowCount: Int) {
        self.rowCount = rowCount
        let count = rowCount * targetCount
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: count))
        scored.removeAll(keepingCapacity: true)
        scored.append(contentsOf: repeatElement(false, count: count))
    }
}

extension TreeAggregateFunction {
    /// Folds one leaf weight into a score.
    @inlinable
    func combine<Scalar: BinaryFloatingPoint>(_ vote: Scalar, into score: inout Scalar, scored: inout Bool) {
        switch self {
        case .sum, .average:
            score += vote
        case .minimum:
            if !scored || vote < score { score = vote }
        case .maximum:
            if !scored || vote > score { score = vote }
        }
        scored = true
    }
}
