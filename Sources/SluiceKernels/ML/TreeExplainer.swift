/// Exact SHAP values of a tree ensemble's raw scores (its margins, before any post-transform), by
/// the polynomial TreeSHAP algorithm of Lundberg, Erion and Lee ("Consistent individualized
/// feature attribution for tree ensembles", 2018, Algorithm 2), as the `shap` package computes them
/// for a tree model with the same node covers.
///
/// The value of a set of features `S` is the expected score when the features in `S` take the
/// row's values and the others follow the reference data, as the covers record it: at a split on
/// a feature outside `S`, both children count, weighted by their share of the parent's cover. The
/// attributions of a row therefore sum, per target, to its score minus ``expectedValues``.
///
/// Only additive ensembles (sum or average of the trees) have such a decomposition; ``init(definition:branchCovers:leafCovers:)``
/// refuses the others.
public struct TreeExplainer: Sendable {
    public let definition: TreeEnsembleDefinition<Float>
    /// Reference rows reaching each branch and each leaf.
    public let branchCovers: [Double]
    public let leafCovers: [Double]
    /// The expected raw score per target over the reference: what the attributions are measured from.
    public let expectedValues: [Double]
    /// Each tree's share of the ensemble's score: 1 for a sum, 1 / trees for an average.
    private let treeScale: Double
    /// The most branches on any path from a root to a leaf: what a row's path storage must hold.
    private let maximumDepth: Int

    /// - Throws: ``TreeEnsembleError`` for an ensemble that is not a sum or an average of its trees,
    ///   or covers that do not match its nodes.
    public init(definition: TreeEnsembleDefinition<Float>, branchCovers: [Double], leafCovers: [Double]) throws(TreeEnsembleError) {
        switch definition.aggregate {
        case .sum: treeScale = 1
        case .average: treeScale = definition.roots.isEmpty ? 1 : 1 / Double(definition.roots.count)
        case .minimum, .maximum: throw TreeEnsembleError("a minimum or maximum of trees has no additive attribution")
        }
        guard branchCovers.count == definition.branches.count, leafCovers.count == definition.leaves.count else {
            throw TreeEnsembleError("covers for \(branchCovers.count) branches and \(leafCovers.count) leaves, not \(definition.branches.count) and \(definition.leaves.count)")
        }
        self.definition = definition
        maximumDepth = definition.roots.map { Self.depth(of: $0, definition) }.max() ?? 0
        self.branchCovers = branchCovers
        self.leafCovers = leafCovers
        var expected = [Double](repeating: 0, count: definition.targetCount)
        for root in definition.roots {
            Self.addExpectation(of: root, weight: treeScale, definition, branchCovers, leafCovers, into: &expected)
        }
        expectedValues = expected
    }

    /// Covers counted from reference rows (`rowCount × featureCount`, row-major): each row adds one to every node it passes.
    public init(definition: TreeEnsembleDefinition<Float>, referenceRows rows: [Float], rowCount: Int) throws(TreeEnsembleError) {
        var branchCovers = [Double](repeating: 0, count: definition.branches.count)
        var leafCovers = [Double](repeating: 0, count: definition.leaves.count)
        let featureCount = rowCount == 0 ? 0 : rows.count / rowCount
        rows.withUnsafeBufferPointer { rows in
            Self.countCovers(of: definition, rows: rows, rowCount: rowCount, featureCount: featureCount, branches: &branchCovers, leaves: &leafCovers)
        }
        try self.init(definition: definition, branchCovers: branchCovers, leafCovers: leafCovers)
    }

    /// Adds one to the cover of every node each of the `rowCount` rows (`featureCount` values each,
    /// row-major) passes: how ``init(definition:referenceRows:rowCount:)`` counts, in pieces, so
    /// that data seen in batches can be counted batch by batch.
    public static func countCovers(
        of definition: TreeEnsembleDefinition<Float>, rows: UnsafeBufferPointer<Float>, rowCount: Int, featureCount: Int,
        branches branchCovers: inout [Double], leaves leafCovers: inout [Double]
    ) {
        for row in 0 ..< rowCount {
            for root in definition.roots {
                var node = root
                while case .branch(let index) = node {
                    branchCovers[index] += 1
                    let branch = definition.branches[index]
                    node = branch.isTrue(for: rows[row * featureCount + branch.feature]) ? branch.whenTrue : branch.whenFalse
                }
                if case .leaf(let index) = node { leafCovers[index] += 1 }
            }
        }
    }

    /// The attributions of `row` (at least ``TreeEnsembleDefinition/featureCountRequired`` features):
    /// `[target][feature]`, `featureCount` per target.
    public func attributions(of row: [Float], featureCount: Int) -> [[Double]] {
        var phi = [Double](repeating: 0, count: definition.targetCount * featureCount)
        // Each level of the recursion copies its parent's path after it, as the paper's
        // implementation does: one allocation per row instead of one per node.
        let levels = maximumDepth + 2
        let storage = UnsafeMutablePointer<PathElement>.allocate(capacity: levels * (levels + 1) / 2 + 1)
        defer { storage.deallocate() }
        row.withUnsafeBufferPointer { row in
            phi.withUnsafeMutableBufferPointer { phi in
                let walk = Walk(row: row, phi: phi, featureCount: featureCount)
                for root in definition.roots {
                    recurse(root, walk, parent: storage, parentCount: 0, zeroFraction: 1, oneFraction: 1, feature: -1)
                }
            }
        }
        return (0 ..< definition.targetCount).map { Array(phi[$0 * featureCount ..< ($0 + 1) * featureCount]) }
    }

    /// One element of the path of unique features from the root: the fraction of the reference
    /// that goes this way (`zero`), whether the row does (`one`), and the weight of the subsets of
    /// the path's features of each size.
    private struct PathElement {
        var feature: Int
        var zero: Double
        var one: Double
        var weight: Double
    }

    /// What a row's recursion reads and writes: the row, and the attributions, `featureCount` per target.
    private struct Walk {
        var row: UnsafeBufferPointer<Float>
        var phi: UnsafeMutableBufferPointer<Double>
        var featureCount: Int
    }

    private func recurse(
        _ node: TreeChild, _ walk: Walk, parent: UnsafeMutablePointer<PathElement>, parentCount: Int, zeroFraction: Double,
        oneFraction: Double, feature: Int
    ) {
        let path = parent + parentCount
        path.update(from: parent, count: parentCount)
        var count = parentCount
        Self.extend(path, &count, zero: zeroFraction, one: oneFraction, feature: feature)
        switch node {
        case .leaf(let leaf):
            for index in 1 ..< count {
                let element = path[index]
                let scale = Self.unwoundSum(path, count, index) * (element.one - element.zero) * treeScale
                for vote in definition.leaves[leaf].votes {
                    walk.phi[vote.target * walk.featureCount + element.feature] += scale * Double(vote.weight)
                }
            }
        case .branch(let index):
            let branch = definition.branches[index]
            let (hot, cold) = branch.isTrue(for: walk.row[branch.feature]) ? (branch.whenTrue, branch.whenFalse) : (branch.whenFalse, branch.whenTrue)
            let cover = branchCovers[index]
            let hotShare = cover > 0 ? Self.cover(of: hot, branchCovers, leafCovers) / cover : 0
            let coldShare = cover > 0 ? Self.cover(of: cold, branchCovers, leafCovers) / cover : 0
            var incomingZero = 1.0, incomingOne = 1.0
            // A feature met again on the path is taken out, and its fractions carried into this split.
            if let previous = (0 ..< count).first(where: { path[$0].feature == branch.feature }) {
                incomingZero = path[previous].zero
                incomingOne = path[previous].one
                Self.unwind(path, &count, previous)
            }
            // A child that neither the row nor any reference row reaches adds nothing (every weight
            // below it is 0), and unwinding its element would divide by its zero fractions.
            if hotShare * incomingZero > 0 || incomingOne > 0 {
                recurse(
                    hot, walk, parent: path, parentCount: count, zeroFraction: hotShare * incomingZero, oneFraction: incomingOne,
                    feature: branch.feature
                )
            }
            if coldShare * incomingZero > 0 {
                recurse(cold, walk, parent: path, parentCount: count, zeroFraction: coldShare * incomingZero, oneFraction: 0, feature: branch.feature)
            }
        }
    }

    private static func extend(_ path: UnsafeMutablePointer<PathElement>, _ count: inout Int, zero: Double, one: Double, feature: Int) {
        let depth = count
        path[depth] = PathElement(feature: feature, zero: zero, one: one, weight: depth == 0 ? 1 : 0)
        count += 1
        for i in stride(from: depth - 1, through: 0, by: -1) {
            path[i + 1].weight += one * path[i].weight * Double(i + 1) / Double(depth + 1)
            path[i].weight = zero * path[i].weight * Double(depth - i) / Double(depth + 1)
        }
    }

    private static func unwind(_ path: UnsafeMutablePointer<PathElement>, _ count: inout Int, _ index: Int) {
        let depth = count - 1
        let one = path[index].one, zero = path[index].zero
        var next = path[depth].weight
        for i in stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let weight = path[i].weight
                path[i].weight = next * Double(depth + 1) / (Double(i + 1) * one)
                next = weight - path[i].weight * zero * Double(depth - i) / Double(depth + 1)
            } else {
                path[i].weight = path[i].weight * Double(depth + 1) / (zero * Double(depth - i))
            }
        }
        for i in index ..< depth {
            path[i].feature = path[i + 1].feature
            path[i].zero = path[i + 1].zero
            path[i].one = path[i + 1].one
        }
        count -= 1
    }

    /// The total weight of the path with element `index` taken out, without changing it.
    private static func unwoundSum(_ path: UnsafeMutablePointer<PathElement>, _ count: Int, _ index: Int) -> Double {
        let depth = count - 1
        let one = path[index].one, zero = path[index].zero
        var next = path[depth].weight
        var total = 0.0
        for i in stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let share = next / (Double(i + 1) * one)
                total += share
                next = path[i].weight - share * zero * Double(depth - i)
            } else {
                total += path[i].weight / (zero * Double(depth - i))
            }
        }
        return total * Double(depth + 1)
    }

    private static func depth(of node: TreeChild, _ definition: TreeEnsembleDefinition<Float>) -> Int {
        guard case .branch(let index) = node else { return 0 }
        let branch = definition.branches[index]
        return 1 + max(depth(of: branch.whenTrue, definition), depth(of: branch.whenFalse, definition))
    }

    private static func cover(of node: TreeChild, _ branchCovers: [Double], _ leafCovers: [Double]) -> Double {
        switch node {
        case .branch(let index): branchCovers[index]
        case .leaf(let index): leafCovers[index]
        }
    }

    /// Adds `weight` times the expected score of the subtree at `node` (its leaves weighted by their
    /// share of its cover, split by split) to `expected`.
    private static func addExpectation(
        of node: TreeChild, weight: Double, _ definition: TreeEnsembleDefinition<Float>, _ branchCovers: [Double], _ leafCovers: [Double],
        into expected: inout [Double]
    ) {
        switch node {
        case .leaf(let index):
            for vote in definition.leaves[index].votes { expected[vote.target] += weight * Double(vote.weight) }
        case .branch(let index):
            let cover = branchCovers[index]
            guard cover > 0 else { return }
            let branch = definition.branches[index]
            for child in [branch.whenTrue, branch.whenFalse] {
                let share = Self.cover(of: child, branchCovers, leafCovers) / cover
                addExpectation(of: child, weight: weight * share, definition, branchCovers, leafCovers, into: &expected)
            }
        }
    }
}
