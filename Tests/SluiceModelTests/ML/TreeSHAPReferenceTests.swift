import Foundation
import SluiceKernels
import SluiceModel
import Testing

/// Sluice's TreeSHAP against the `shap` package on the example tree models' own trees
/// (`Tests/Fixtures/explanations`, written by `Tests/Generators/make_tree_shap_fixture.py`), and
/// covers counted from training rows against scikit-learn's `n_node_samples`.
@Suite struct TreeSHAPReferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/explanations")

    struct SHAPCase: Decodable, CustomTestStringConvertible, Sendable {
        var model: String
        var branch_covers: [Double]
        var leaf_covers: [Double]
        var rows: [[Float?]]
        var expected_values: [Double]
        /// `[row][target][feature]`
        var shap_values: [[[Double]]]
        var testDescription: String { model }
    }

    struct SHAPFixture: Decodable { var models: [SHAPCase] }

    static func cases() throws -> [SHAPCase] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("tree-shap.json"))
        return try JSONDecoder().decode(SHAPFixture.self, from: data).models
    }

    /// The model's trees; `nil` when its explainable stage is something else.
    static func trees(of model: String) throws -> TreeEnsembleDefinition<Float>? {
        let loaded = try Model(contentsOf: ExampleReference.modelsDirectory.appendingPathComponent(model).path)
        guard case .trees(let definition, _) = try loaded.explainableStage() else { return nil }
        return definition
    }

    @Test(arguments: try cases())
    func attributionsEqualTheSHAPPackagesOnTheModelsTrees(_ reference: SHAPCase) throws {
        let explainer = try TreeExplainer(
            definition: try #require(try Self.trees(of: reference.model)), branchCovers: reference.branch_covers, leafCovers: reference.leaf_covers
        )
        #expect(explainer.expectedValues.count == reference.expected_values.count)
        for (actual, expected) in zip(explainer.expectedValues, reference.expected_values) {
            #expect(abs(actual - expected) < 1e-5 * max(1, abs(expected)), "expected value")
        }
        for (index, row) in reference.rows.enumerated() {
            let values = row.map { $0 ?? .nan }
            let attributions = explainer.attributions(of: values, featureCount: values.count)
            for (target, expected) in reference.shap_values[index].enumerated() {
                for feature in expected.indices {
                    let difference = abs(attributions[target][feature] - expected[feature])
                    #expect(difference < 1e-5 * max(1, abs(expected[feature])), "row \(index) target \(target) feature \(feature)")
                }
            }
        }
    }

    struct CoverFixture: Decodable {
        struct Tree: Decodable {
            var children_left: [Int]
            var children_right: [Int]
            var feature: [Int]
            var threshold: [Double]
            var n_node_samples: [Int]
        }
        var rows: [[Float]]
        var trees: [Tree]
    }

    /// A scikit-learn tree as a definition: node `i` is branch or leaf number `i` (the unused
    /// indices hold placeholders no root reaches), `x <= threshold` going left.
    static func definition(of tree: CoverFixture.Tree) -> TreeEnsembleDefinition<Float> {
        let child = { (node: Int) in tree.children_left[node] < 0 ? TreeChild.leaf(node) : .branch(node) }
        let branches = tree.feature.indices.map { node in
            TreeBranch<Float>(
                feature: max(0, tree.feature[node]), mode: .lessOrEqual, threshold: Float(tree.threshold[node]), missingGoesTrue: false,
                whenTrue: tree.children_left[node] < 0 ? .leaf(node) : child(tree.children_left[node]),
                whenFalse: tree.children_right[node] < 0 ? .leaf(node) : child(tree.children_right[node])
            )
        }
        let leaves = tree.feature.indices.map { _ in TreeLeaf<Float>(votes: [TreeVote(target: 0, weight: 0)]) }
        return TreeEnsembleDefinition(branches: branches, leaves: leaves, roots: [child(0)], targetCount: 1, aggregate: .sum)
    }

    @Test func coversCountedFromTheTrainingRowsAreScikitLearnsNodeSampleCounts() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("tree-covers.json"))
        let fixture = try JSONDecoder().decode(CoverFixture.self, from: data)
        let rows = fixture.rows.flatMap { $0 }
        for (index, tree) in fixture.trees.enumerated() {
            let definition = Self.definition(of: tree)
            var branches = [Double](repeating: 0, count: definition.branches.count)
            var leaves = [Double](repeating: 0, count: definition.leaves.count)
            rows.withUnsafeBufferPointer {
                TreeExplainer.countCovers(
                    of: definition, rows: $0, rowCount: fixture.rows.count, featureCount: fixture.rows[0].count, branches: &branches, leaves: &leaves
                )
            }
            let counted = tree.feature.indices.map { tree.children_left[$0] < 0 ? leaves[$0] : branches[$0] }
            #expect(counted == tree.n_node_samples.map(Double.init), "tree \(index)")
        }
    }
}
