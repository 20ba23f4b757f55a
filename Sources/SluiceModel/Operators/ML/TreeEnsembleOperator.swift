import SluiceKernels

/// `TreeEnsemble` (ml opset 5): interior nodes and leaves in separate lists, trees by their roots,
/// set-membership branches, and integer-coded modes, aggregate function and post-transform.
/// Its output has the input's element type.
let treeEnsembleOperator = OperatorDefinition(
    domain: "ai.onnx.ml", opType: "TreeEnsemble", opsets: 5...5
) { context in
    let input = try context.requiredInput(0)
    try requireFeatureInput(input, types: [.float, .double])
    let operation: any CompiledOperator
    let targetCount: Int
    if input.elementType == .double {
        let regression = try TreeEnsembleRegression<Double>(version5: context.node, featureCount: featureCount(of: input))
        (operation, targetCount) = (regression, regression.ensemble.targetCount)
    } else {
        let regression = try TreeEnsembleRegression<Float>(version5: context.node, featureCount: featureCount(of: input))
        (operation, targetCount) = (regression, regression.ensemble.targetCount)
    }
    return CompiledNode(
        operation: operation,
        outputs: [ValueInfo(elementType: input.elementType, shape: [batchDimension(of: input), .fixed(targetCount)])]
    )
}

extension TreeEnsembleRegression {
    init(version5 node: OperatorNode, featureCount: Int?) throws {
        let features = try node.ints("nodes_featureids")
        let splits = try node.realTensor("nodes_splits", as: Scalar.self)
        let modeCodes = try node.integerTensor("nodes_modes")
        let trueIDs = try node.ints("nodes_truenodeids")
        let falseIDs = try node.ints("nodes_falsenodeids")
        let trueLeafs = try node.ints("nodes_trueleafs")
        let falseLeafs = try node.ints("nodes_falseleafs")
        let missingTracksTrue = try node.ints("nodes_missing_value_tracks_true", default: [])
        let treeRoots = try node.ints("tree_roots")
        let leafTargets = try node.ints("leaf_targetids")
        let leafWeights = try node.realTensor("leaf_weights", as: Scalar.self)
        let count = features.count
        try requireLength(count, of: "nodes_featureids", for: [
            ("nodes_splits", splits.count), ("nodes_modes", modeCodes.count), ("nodes_truenodeids", trueIDs.count),
            ("nodes_falsenodeids", falseIDs.count), ("nodes_trueleafs", trueLeafs.count),
            ("nodes_falseleafs", falseLeafs.count),
        ])
        if !missingTracksTrue.isEmpty {
            try requireLength(count, of: "nodes_featureids", for: [("nodes_missing_value_tracks_true", missingTracksTrue.count)])
        }
        try requireLength(leafTargets.count, of: "leaf_targetids", for: [("leaf_weights", leafWeights.count)])
        guard !treeRoots.isEmpty else { throw OperatorError("tree_roots is empty") }

        let targetCount = try node.hasAttribute("n_targets")
            ? Int(node.int("n_targets"))
            : Int(leafTargets.max() ?? 0) + 1
        guard targetCount > 0 else { throw OperatorError("n_targets must be positive, not \(targetCount)") }
        let aggregateCode = try node.int("aggregate_function", default: 1)
        guard let aggregate = TreeAggregateFunction(code: aggregateCode) else {
            throw OperatorError("aggregate_function \(aggregateCode) is not one of 0 (AVERAGE), 1 (SUM), 2 (MIN), 3 (MAX)")
        }
        let transformCode = try node.int("post_transform", default: 0)
        guard let postTransform = PostTransform(code: transformCode) else {
            throw OperatorError("post_transform \(transformCode) is not one of 0 (NONE) to 4 (PROBIT)")
        }

        var memberSets = node.hasAttribute("membership_values")
            ? MembershipSets(try node.realTensor("membership_values", as: Scalar.self))
            : nil
        var branches: [TreeBranch<Scalar>] = []
        branches.reserveCapacity(count)
        for index in 0..<count {
            let code = modeCodes[index]
            guard (0...6).contains(code), let mode = TreeSplitMode(rawValue: UInt8(code)) else {
                throw OperatorError("nodes_modes[\(index)] is \(code), not one of 0 (BRANCH_LEQ) to 6 (BRANCH_MEMBER)")
            }
            var members: [Scalar] = []
            if mode == .member {
                guard let sets = memberSets else {
                    throw OperatorError("node \(index) is BRANCH_MEMBER but membership_values is missing")
                }
                var remaining = sets
                members = remaining.next()
                memberSets = remaining
            }
            guard features[index] >= 0 else { throw OperatorError("nodes_featureids[\(index)] is negative") }
            branches.append(TreeBranch(
                feature: Int(features[index]),
                mode: mode,
                threshold: splits[index],
                members: members,
                missingGoesTrue: !missingTracksTrue.isEmpty && missingTracksTrue[index] == 1,
                whenTrue: trueLeafs[index] != 0 ? .leaf(Int(trueIDs[index])) : .branch(Int(trueIDs[index])),
                whenFalse: falseLeafs[index] != 0 ? .leaf(Int(falseIDs[index])) : .branch(Int(falseIDs[index]))
            ))
        }
        let leaves = zip(leafTargets, leafWeights).map { target, weight in
            TreeLeaf(votes: [TreeVote(target: Int(target), weight: weight)])
        }
        // A root whose true and false children are the same leaf is a tree of just that leaf.
        let roots: [TreeChild] = try treeRoots.map { root in
            guard (0..<Int64(count)).contains(root) else {
                throw OperatorError("tree_roots names node \(root), outside 0..<\(count)")
            }
            let index = Int(root)
            let isLeaf = trueLeafs[index] != 0 && falseLeafs[index] != 0 && trueIDs[index] == falseIDs[index]
            return isLeaf ? .leaf(Int(trueIDs[index])) : .branch(index)
        }
        try self.init(
            definition: TreeEnsembleDefinition(
                branches: branches, leaves: leaves, roots: roots, targetCount: targetCount, aggregate: aggregate
            ),
            baseValues: [],
            postTransform: postTransform,
            featureCount: featureCount,
            outputsInputType: true
        )
    }
}

/// The sets of `membership_values`, one per `BRANCH_MEMBER` node in node order, delimited by NaN.
private struct MembershipSets<Scalar: FloatingPointElement> {
    private let values: [Scalar]
    private var position = 0

    init(_ values: [Scalar]) { self.values = values }

    /// The next set; empty once the values run out, as onnxruntime reads them.
    mutating func next() -> [Scalar] {
        var members: [Scalar] = []
        while position < values.count && !values[position].isNaN {
            members.append(values[position])
            position += 1
        }
        position += 1
        return members
    }
}
