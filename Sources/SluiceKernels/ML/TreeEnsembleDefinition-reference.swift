extension TreeEnsembleDefinition {
    /// The plain scalar reference evaluator: walks every tree for every row, one node at a time,
    /// straight from the definition. ``TreeEnsemble`` must agree with it exactly.
    ///
    /// - Parameters:
    ///   - rows: `rowCount × featureCount` features, row-major.
    ///   - rowCount: the number of rows.
    /// - Precondition: every branch's feature is below `featureCount`, and the definition is valid.
    @inlinable
    public func referenceScores(rows: [Scalar], rowCount: Int) -> TreeScores<Scalar> {
        let featureCount = rowCount == 0 ? 0 : rows.count / rowCount
        var scores = TreeScores<Scalar>(rowCount: rowCount, targetCount: targetCount)
        for row in 0..<rowCount {
            for root in roots {
                var node = root
                while case .branch(let index) = node {
                    let branch = branches[index]
                    node = branch.isTrue(for: rows[row * featureCount + branch.feature]) ? branch.whenTrue : branch.whenFalse
                }
                guard case .leaf(let leaf) = node else { continue }
                for vote in leaves[leaf].votes {
                    let slot = row * targetCount + vote.target
                    aggregate.combine(vote.weight, into: &scores.values[slot], scored: &scores.scored[slot])
                }
            }
        }
        return scores
    }
}
