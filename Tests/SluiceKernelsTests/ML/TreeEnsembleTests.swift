import Testing
@testable import SluiceKernels

@Suite("Tree ensembles")
struct TreeEnsembleTests {
    @Test("the packed evaluator agrees exactly with the reference on random ensembles",
          arguments: TreeAggregateFunction.allCases)
    func packedMatchesReference(_ aggregate: TreeAggregateFunction) throws {
        let modeSets: [[TreeSplitMode]] = [[.lessOrEqual], [.less], [.greaterOrEqual], [.greater], [.equal], [.notEqual],
                                           [.member], TreeSplitMode.allCases]
        for (index, modes) in modeSets.enumerated() {
            for targetCount in [1, 3] {
                var random = RandomTreeEnsembles(seed: UInt64(index * 10 + targetCount), featureCount: 5)
                let definition = random.definition(
                    trees: 12, depth: 6, targetCount: targetCount, modes: modes, aggregate: aggregate,
                    votesPerLeaf: targetCount == 1 ? 1...1 : 1...3
                )
                let ensemble = try TreeEnsemble(definition)
                // More rows than a block, so that blocking is exercised too.
                let rowCount = 300
                let rows = random.rows(rowCount)
                let expected = definition.referenceScores(rows: rows, rowCount: rowCount)
                var actual = TreeScores<Float>(rowCount: 0, targetCount: targetCount)
                rows.withUnsafeBufferPointer {
                    ensemble.accumulate(rows: $0, rowCount: rowCount, featureCount: 5, into: &actual)
                }
                #expect(actual.values == expected.values, "modes \(modes), \(targetCount) targets")
                #expect(actual.scored == expected.scored, "modes \(modes), \(targetCount) targets")
            }
        }
    }

    @Test("a leaf with several weights adds each to its target")
    func multipleVotesPerLeaf() throws {
        let definition = TreeEnsembleDefinition<Float>(
            branches: [],
            leaves: [TreeLeaf(votes: [TreeVote(target: 0, weight: 1), TreeVote(target: 1, weight: 2), TreeVote(target: 0, weight: 4)])],
            roots: [.leaf(0), .leaf(0)],
            targetCount: 3,
            aggregate: .sum
        )
        var scores = TreeScores<Float>(rowCount: 0, targetCount: 3)
        try TreeEnsemble(definition).accumulate(rows: UnsafeBufferPointer(start: nil, count: 0), rowCount: 1, featureCount: 0, into: &scores)
        #expect(scores.values == [10, 4, 0])
        #expect(scores.scored == [true, true, false])
    }

    @Test("NaN follows missing-value tracking, and otherwise fails every comparison but not-equal",
          arguments: TreeSplitMode.allCases)
    func missingValues(_ mode: TreeSplitMode) throws {
        for tracks in [false, true] {
            let definition = TreeEnsembleDefinition<Float>(
                branches: [TreeBranch(feature: 0, mode: mode, threshold: 1, members: [1], missingGoesTrue: tracks,
                                      whenTrue: .leaf(0), whenFalse: .leaf(1))],
                leaves: [TreeLeaf(votes: [TreeVote(target: 0, weight: 1)]), TreeLeaf(votes: [TreeVote(target: 0, weight: 2)])],
                roots: [.branch(0)], targetCount: 1, aggregate: .sum
            )
            var scores = TreeScores<Float>(rowCount: 0, targetCount: 1)
            [Float.nan].withUnsafeBufferPointer {
                try! TreeEnsemble(definition).accumulate(rows: $0, rowCount: 1, featureCount: 1, into: &scores)
            }
            let takesTrue = tracks || mode == .notEqual
            #expect(scores.values == [takesTrue ? 1 : 2], "\(mode), tracking \(tracks)")
        }
    }

    @Test("an ensemble with a cycle, a dangling child or a leaf without weight is rejected")
    func rejectsMalformedEnsembles() {
        let leaf = TreeLeaf<Float>(votes: [TreeVote(target: 0, weight: 1)])
        func branch(_ whenTrue: TreeChild, _ whenFalse: TreeChild) -> TreeBranch<Float> {
            TreeBranch(feature: 0, mode: .lessOrEqual, threshold: 0, missingGoesTrue: false, whenTrue: whenTrue, whenFalse: whenFalse)
        }
        let malformed: [TreeEnsembleDefinition<Float>] = [
            .init(branches: [branch(.branch(1), .leaf(0)), branch(.branch(0), .leaf(0))], leaves: [leaf],
                  roots: [.branch(0)], targetCount: 1, aggregate: .sum),
            .init(branches: [branch(.leaf(3), .leaf(0))], leaves: [leaf], roots: [.branch(0)], targetCount: 1, aggregate: .sum),
            .init(branches: [], leaves: [TreeLeaf(votes: [])], roots: [.leaf(0)], targetCount: 1, aggregate: .sum),
            .init(branches: [], leaves: [TreeLeaf(votes: [TreeVote(target: 2, weight: 1)])], roots: [.leaf(0)],
                  targetCount: 1, aggregate: .sum),
        ]
        for definition in malformed {
            #expect(throws: TreeEnsembleError.self) { try TreeEnsemble(definition) }
        }
    }
}
