import SluiceKernels

/// Reads the tree attributes shared by `TreeEnsembleClassifier` and `TreeEnsembleRegressor`
/// (ml opsets 1–4): parallel `nodes_*` lists keyed by (tree id, node id), and votes at the leaves
/// in `class_*` or `target_*` lists.
struct TreeEnsembleLegacyAttributes<Scalar: FloatingPointElement> {
    var definition: TreeEnsembleDefinition<Scalar>
    /// The class or target id of every vote, in attribute order.
    var voteTargets: [Int64]
    /// The weight of every vote, in attribute order.
    var voteWeights: [Scalar]
    var baseValues: [Scalar]
    var postTransform: PostTransform

    /// - Parameters:
    ///   - votePrefix: `"class"` for the classifier, `"target"` for the regressor.
    init(_ node: OperatorNode, votePrefix: String, targetCount: Int, aggregate: TreeAggregateFunction) throws {
        let treeIDs = try node.ints("nodes_treeids")
        let nodeIDs = try node.ints("nodes_nodeids")
        let featureIDs = try node.ints("nodes_featureids")
        let modeNames = try node.strings("nodes_modes")
        let trueIDs = try node.ints("nodes_truenodeids")
        let falseIDs = try node.ints("nodes_falsenodeids")
        let missingTracksTrue = try node.ints("nodes_missing_value_tracks_true", default: [])
        let thresholds: [Scalar] = try node.reals("nodes_values") ?? []
        let count = treeIDs.count
        try requireLength(count, of: "nodes_treeids", for: [
            ("nodes_nodeids", nodeIDs.count), ("nodes_featureids", featureIDs.count), ("nodes_modes", modeNames.count),
            ("nodes_truenodeids", trueIDs.count), ("nodes_falsenodeids", falseIDs.count), ("nodes_values", thresholds.count),
        ])
        if !missingTracksTrue.isEmpty {
            try requireLength(count, of: "nodes_treeids", for: [("nodes_missing_value_tracks_true", missingTracksTrue.count)])
        }
        guard count > 0 else { throw OperatorError("the ensemble has no nodes") }

        var position: [NodeKey: Int] = [:]
        position.reserveCapacity(count)
        var childOf: [TreeChild] = []
        childOf.reserveCapacity(count)
        var branchCount = 0
        var leafCount = 0
        var modes: [TreeSplitMode?] = []
        for index in 0..<count {
            let key = NodeKey(tree: treeIDs[index], node: nodeIDs[index])
            guard position.updateValue(index, forKey: key) == nil else {
                throw OperatorError("node \(key) appears twice")
            }
            let name = modeNames[index]
            if name == "LEAF" {
                modes.append(nil)
                childOf.append(.leaf(leafCount))
                leafCount += 1
            } else if let mode = TreeSplitMode(name: name) {
                modes.append(mode)
                childOf.append(.branch(branchCount))
                branchCount += 1
            } else {
                throw OperatorError("nodes_modes[\(index)] is '\(name)', not one of BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, LEAF")
            }
        }

        func child(_ id: Int64, of index: Int, side: String) throws -> TreeChild {
            let key = NodeKey(tree: treeIDs[index], node: id)
            guard let target = position[key] else {
                throw OperatorError("node \(NodeKey(tree: treeIDs[index], node: nodeIDs[index])) has \(side) child \(id), which does not exist")
            }
            guard target != index else {
                throw OperatorError("node \(key) is its own \(side) child")
            }
            return childOf[target]
        }

        var branches: [TreeBranch<Scalar>] = []
        branches.reserveCapacity(branchCount)
        for index in 0..<count {
            guard let mode = modes[index] else { continue }
            guard featureIDs[index] >= 0 else {
                throw OperatorError("nodes_featureids[\(index)] is negative")
            }
            branches.append(TreeBranch(
                feature: Int(featureIDs[index]),
                mode: mode,
                threshold: thresholds[index],
                missingGoesTrue: !missingTracksTrue.isEmpty && missingTracksTrue[index] == 1,
                whenTrue: try child(trueIDs[index], of: index, side: "true"),
                whenFalse: try child(falseIDs[index], of: index, side: "false")
            ))
        }

        let voteIDs = try node.ints("\(votePrefix)_ids", default: [])
        let voteNodeIDs = try node.ints("\(votePrefix)_nodeids", default: [])
        let voteTreeIDs = try node.ints("\(votePrefix)_treeids", default: [])
        let weights: [Scalar] = try node.reals("\(votePrefix)_weights") ?? []
        try requireLength(voteIDs.count, of: "\(votePrefix)_ids", for: [
            ("\(votePrefix)_nodeids", voteNodeIDs.count), ("\(votePrefix)_treeids", voteTreeIDs.count),
            ("\(votePrefix)_weights", weights.count),
        ])
        var leaves = [TreeLeaf<Scalar>](repeating: TreeLeaf(votes: []), count: leafCount)
        for index in voteIDs.indices {
            let key = NodeKey(tree: voteTreeIDs[index], node: voteNodeIDs[index])
            guard let target = position[key] else {
                throw OperatorError("\(votePrefix)_nodeids[\(index)] names node \(key), which does not exist")
            }
            guard voteIDs[index] >= 0 && voteIDs[index] < targetCount else {
                throw OperatorError("\(votePrefix)_ids[\(index)] is \(voteIDs[index]), outside 0..<\(targetCount)")
            }
            // onnxruntime ignores weights on interior nodes, which old onnxmltools versions emitted.
            guard case .leaf(let leaf) = childOf[target] else { continue }
            leaves[leaf].votes.append(TreeVote(target: Int(voteIDs[index]), weight: weights[index]))
        }
        for index in 0..<count where modes[index] == nil {
            guard case .leaf(let leaf) = childOf[index], leaves[leaf].votes.isEmpty else { continue }
            throw OperatorError("leaf \(NodeKey(tree: treeIDs[index], node: nodeIDs[index])) has no weight")
        }

        // A tree starts wherever the tree id changes, as onnxruntime reads it.
        var roots: [TreeChild] = []
        for index in 0..<count where index == 0 || treeIDs[index] != treeIDs[index - 1] {
            roots.append(childOf[index])
        }

        definition = TreeEnsembleDefinition(
            branches: branches, leaves: leaves, roots: roots, targetCount: targetCount, aggregate: aggregate
        )
        voteTargets = voteIDs
        voteWeights = weights
        baseValues = try node.reals("base_values") ?? []
        let transformName = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(name: transformName) else {
            throw OperatorError("post_transform '\(transformName)' is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT")
        }
        postTransform = transform
    }
}

/// A node's identity in the `nodes_*` attributes.
private struct NodeKey: Hashable, CustomStringConvertible {
    var tree: Int64
    var node: Int64

    var description: String { "(tree \(tree), id \(node))" }
}

/// Fails unless every listed attribute has `count` elements.
func requireLength(_ count: Int, of reference: String, for attributes: [(String, Int)]) throws {
    for (name, length) in attributes where length != count {
        throw OperatorError("attribute '\(name)' has \(length) elements but '\(reference)' has \(count)")
    }
}
