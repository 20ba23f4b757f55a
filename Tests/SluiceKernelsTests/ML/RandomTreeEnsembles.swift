@testable import SluiceKernels

/// Random tree ensembles and rows that hit thresholds exactly, fall either side of them, and are NaN.
struct RandomTreeEnsembles {
    var generator: SeededRandom
    let featureCount: Int
    /// Per feature, the values thresholds and rows are drawn from, so that equality tests fire.
    let pools: [[Float]]

    init(seed: UInt64, featureCount: Int) {
        var generator = SeededRandom(seed: seed)
        pools = (0..<featureCount).map { _ in
            (0..<5).map { _ in Float(Int.random(in: -20...20, using: &generator)) / 4 }
        }
        self.generator = generator
        self.featureCount = featureCount
    }

    mutating func definition(
        trees: Int,
        depth: Int,
        targetCount: Int,
        modes: [TreeSplitMode],
        aggregate: TreeAggregateFunction,
        votesPerLeaf: ClosedRange<Int>
    ) -> TreeEnsembleDefinition<Float> {
        var branches: [TreeBranch<Float>] = []
        var leaves: [TreeLeaf<Float>] = []
        func grow(_ depth: Int) -> TreeChild {
            if depth == 0 || Int.random(in: 0..<4, using: &generator) == 0 {
                let votes = (0..<Int.random(in: votesPerLeaf, using: &generator)).map { _ in
                    TreeVote<Float>(
                        target: Int.random(in: 0..<targetCount, using: &generator),
                        weight: Float(Int.random(in: -1000...1000, using: &generator)) / 256
                    )
                }
                leaves.append(TreeLeaf(votes: votes))
                return .leaf(leaves.count - 1)
            }
            let feature = Int.random(in: 0..<featureCount, using: &generator)
            let mode = modes.randomElement(using: &generator)!
            let threshold = pools[feature].randomElement(using: &generator)!
            let members = mode == .member
                ? (0..<Int.random(in: 0...3, using: &generator)).map { _ in pools[feature].randomElement(using: &generator)! }
                : []
            let missingGoesTrue = Bool.random(using: &generator)
            let whenTrue = grow(depth - 1)
            let whenFalse = grow(depth - 1)
            branches.append(TreeBranch(
                feature: feature, mode: mode, threshold: threshold, members: members,
                missingGoesTrue: missingGoesTrue, whenTrue: whenTrue, whenFalse: whenFalse
            ))
            return .branch(branches.count - 1)
        }
        let roots = (0..<trees).map { _ in grow(depth) }
        return TreeEnsembleDefinition(
            branches: branches, leaves: leaves, roots: roots, targetCount: targetCount, aggregate: aggregate
        )
    }

    mutating func rows(_ count: Int) -> [Float] {
        (0..<count * featureCount).map { index in
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: .nan
            case 1...5: pools[index % featureCount].randomElement(using: &generator)!
            default: Float.random(in: -6...6, using: &generator)
            }
        }
    }
}
