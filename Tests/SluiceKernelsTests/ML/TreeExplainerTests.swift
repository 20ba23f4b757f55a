@testable import SluiceKernels
import Testing

/// TreeSHAP's polynomial algorithm against the definition of Shapley values, computed by brute
/// force over every subset of features with the same cover-weighted value function, on random
/// ensembles with repeated features, NaN rows and branches the reference never reached.
@Suite struct TreeExplainerTests {
    @Test(arguments: [TreeAggregateFunction.sum, .average])
    func attributionsEqualTheShapleyValuesOfTheCoverWeightedExpectation(_ aggregate: TreeAggregateFunction) throws {
        var random = RandomTreeEnsembles(seed: 11, featureCount: 5)
        let definition = random.definition(
            trees: 6, depth: 4, targetCount: 2, modes: [.lessOrEqual, .less, .greater], aggregate: aggregate, votesPerLeaf: 1...2
        )
        let explainer = try TreeExplainer(definition: definition, referenceRows: random.rows(60), rowCount: 60)
        for _ in 0 ..< 10 {
            let row = random.rows(1)
            let actual = explainer.attributions(of: row, featureCount: 5)
            let expected = BruteForceShapley(explainer: explainer, row: row).values()
            for target in 0 ..< 2 {
                for feature in 0 ..< 5 {
                    #expect(abs(actual[target][feature] - expected[target][feature]) < 1e-9, "target \(target) feature \(feature) of \(row)")
                }
            }
        }
    }

    @Test func attributionsSumToTheScoreMinusTheExpectedValue() throws {
        var random = RandomTreeEnsembles(seed: 12, featureCount: 8)
        let definition = random.definition(
            trees: 20, depth: 6, targetCount: 3, modes: [.lessOrEqual], aggregate: .sum, votesPerLeaf: 1...3
        )
        let explainer = try TreeExplainer(definition: definition, referenceRows: random.rows(200), rowCount: 200)
        let rows = random.rows(20)
        let scores = definition.referenceScores(rows: rows, rowCount: 20)
        for row in 0 ..< 20 {
            let attributions = explainer.attributions(of: Array(rows[row * 8 ..< (row + 1) * 8]), featureCount: 8)
            for target in 0 ..< 3 {
                let total = explainer.expectedValues[target] + attributions[target].reduce(0, +)
                #expect(abs(total - Double(scores.values[row * 3 + target])) < 1e-4, "row \(row) target \(target)")
            }
        }
    }

    @Test func aMinimumOfTreesHasNoAttribution() {
        var random = RandomTreeEnsembles(seed: 13, featureCount: 2)
        let definition = random.definition(trees: 2, depth: 2, targetCount: 1, modes: [.less], aggregate: .minimum, votesPerLeaf: 1...1)
        #expect(throws: TreeEnsembleError.self) { try TreeExplainer(definition: definition, referenceRows: [], rowCount: 0) }
    }
}

/// Shapley values from their definition: `φᵢ = Σ_{S ⊆ F∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S))`,
/// with `v(S)` the expected score when the features of `S` are the row's and the others follow the
/// covers (the paper's Algorithm 1).
struct BruteForceShapley {
    let explainer: TreeExplainer
    let row: [Float]

    func values() -> [[Double]] {
        let featureCount = row.count
        var phi = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: explainer.definition.targetCount)
        for feature in 0 ..< featureCount {
            for subset in 0 ..< (1 << featureCount) where subset & (1 << feature) == 0 {
                let size = subset.nonzeroBitCount
                let weight = factorial(size) * factorial(featureCount - size - 1) / factorial(featureCount)
                let with = value(subset | (1 << feature)), without = value(subset)
                for target in phi.indices { phi[target][feature] += weight * (with[target] - without[target]) }
            }
        }
        return phi
    }

    private func value(_ subset: Int) -> [Double] {
        var total = [Double](repeating: 0, count: explainer.definition.targetCount)
        let scale = explainer.definition.aggregate == .average ? 1 / Double(explainer.definition.roots.count) : 1
        for root in explainer.definition.roots { add(root, subset, scale, &total) }
        return total
    }

    private func add(_ node: TreeChild, _ subset: Int, _ weight: Double, _ total: inout [Double]) {
        switch node {
        case .leaf(let index):
            for vote in explainer.definition.leaves[index].votes { total[vote.target] += weight * Double(vote.weight) }
        case .branch(let index):
            let branch = explainer.definition.branches[index]
            if subset & (1 << branch.feature) != 0 {
                add(branch.isTrue(for: row[branch.feature]) ? branch.whenTrue : branch.whenFalse, subset, weight, &total)
                return
            }
            let cover = explainer.branchCovers[index]
            guard cover > 0 else { return }
            for child in [branch.whenTrue, branch.whenFalse] {
                let childCover = switch child {
                case .branch(let child): explainer.branchCovers[child]
                case .leaf(let child): explainer.leafCovers[child]
                }
                add(child, subset, weight * childCover / cover, &total)
            }
        }
    }

    private func factorial(_ n: Int) -> Double { n <= 1 ? 1 : (2 ... n).reduce(1.0) { $0 * Double($1) } }
}
