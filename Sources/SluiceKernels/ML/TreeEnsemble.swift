/// A tree ensemble compiled for fast evaluation: every tree flattened into one array of packed nodes
/// in pre-order, so that a branch's false child is the next node and only the true child is stored,
/// leaves resolved to their weights, and set-membership branches unrolled into chains of equality tests.
///
/// Build it once at load time; ``accumulate(rows:rowCount:featureCount:into:)`` then walks the trees
/// tree by tree over blocks of rows, so that one tree's nodes stay in cache while many rows pass through.
public struct TreeEnsemble<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    @usableFromInline let nodes: [PackedTreeNode<Scalar>]
    @usableFromInline let roots: [Int]
    @usableFromInline let voteTargets: [Int]
    @usableFromInline let voteWeights: [Scalar]
    public let targetCount: Int
    public let aggregate: TreeAggregateFunction
    /// One past the largest feature index any tree reads: rows need at least this many features.
    public let featureCountRequired: Int
    /// The mode every branch shares, which lets evaluation skip the per-node dispatch; `nil` when they differ.
    @usableFromInline let uniformMode: TreeSplitMode?
    /// Whether any branch sends NaN to its true child.
    @usableFromInline let tracksMissing: Bool
    /// Whether every leaf holds exactly one weight, for the one target; it then sits in the leaf node itself.
    @usableFromInline let singleWeightLeaves: Bool

    public var treeCount: Int { roots.count }

    /// Compiles `definition`, after validating it.
    public init(_ definition: TreeEnsembleDefinition<Scalar>) throws(TreeEnsembleError) {
        try definition.validate()
        var voteStarts: [Int] = []
        var targets: [Int] = []
        var weights: [Scalar] = []
        for leaf in definition.leaves {
            voteStarts.append(targets.count)
            for vote in leaf.votes {
                targets.append(vote.target)
                weights.append(vote.weight)
            }
        }
        let packer = TreePacker(definition: definition, voteStarts: voteStarts)
        var nodes: [PackedTreeNode<Scalar>] = []
        var roots: [Int] = []
        for root in definition.roots {
            roots.append(nodes.count)
            try packer.pack(root, into: &nodes)
        }
        self.nodes = nodes
        self.roots = roots
        voteTargets = targets
        voteWeights = weights
        targetCount = definition.targetCount
        aggregate = definition.aggregate
        featureCountRequired = definition.featureCountRequired
        let modes = Set(nodes.lazy.filter { !$0.isLeaf }.map(\.kind))
        uniformMode = modes.count == 1 ? TreeSplitMode(rawValue: modes.first!) : nil
        tracksMissing = nodes.contains { !$0.isLeaf && $0.missingGoesTrue }
        singleWeightLeaves = definition.targetCount == 1 && definition.leaves.allSatisfy { $0.votes.count == 1 }
    }
}

/// One node of a ``TreeEnsemble``, 16 bytes for `Float` thresholds.
@usableFromInline
struct PackedTreeNode<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    /// A branch's threshold, or a leaf's only weight.
    @usableFromInline var value: Scalar
    /// A branch's feature index, or a leaf's number of weights.
    @usableFromInline var feature: Int32
    /// A branch's true child, or the index of a leaf's first weight.
    @usableFromInline var trueChild: Int32
    /// A ``TreeSplitMode`` raw value, or ``leafKind``.
    @usableFromInline var kind: UInt8
    @usableFromInline var missingGoesTrue: Bool

    @usableFromInline static var leafKind: UInt8 { .max }

    @usableFromInline var isLeaf: Bool { kind == Self.leafKind }
}

/// Flattens the trees of a definition into pre-order packed nodes, without recursion so that deep
/// trees cannot exhaust the stack.
private struct TreePacker<Scalar: BinaryFloatingPoint & Sendable> {
    let definition: TreeEnsembleDefinition<Scalar>
    let voteStarts: [Int]
    /// Subtrees shared between parents are copied per parent; this bounds the copies.
    var nodeLimit: Int {
        16 * (definition.branches.count + definition.leaves.count + memberCount) + 1024
    }
    private var memberCount: Int { definition.branches.reduce(0) { $0 + $1.members.count } }

    init(definition: TreeEnsembleDefinition<Scalar>, voteStarts: [Int]) {
        self.definition = definition
        self.voteStarts = voteStarts
    }

    /// A subtree to emit, and the nodes whose true child it is (set once its first node's index is known).
    private struct Pending {
        var child: TreeChild
        var trueChildOf: [Int]
    }

    func pack(_ root: TreeChild, into nodes: inout [PackedTreeNode<Scalar>]) throws(TreeEnsembleError) {
        let limit = min(nodeLimit, Int(Int32.max))
        var stack = [Pending(child: root, trueChildOf: [])]
        while let pending = stack.popLast() {
            for parent in pending.trueChildOf { nodes[parent].trueChild = Int32(nodes.count) }
            guard nodes.count < limit else {
                throw TreeEnsembleError("the trees share subtrees so heavily that flattening them exceeds \(limit) nodes")
            }
            switch pending.child {
            case .leaf(let index):
                let votes = definition.leaves[index].votes
                nodes.append(PackedTreeNode(
                    value: votes.count == 1 ? votes[0].weight : 0,
                    feature: Int32(votes.count),
                    trueChild: Int32(voteStarts[index]),
                    kind: PackedTreeNode<Scalar>.leafKind,
                    missingGoesTrue: false
                ))
            case .branch(let index):
                let branch = definition.branches[index]
                guard branch.feature <= Int32.max else {
                    throw TreeEnsembleError("branch \(index) reads feature \(branch.feature), beyond what Sluice indexes")
                }
                var tests: [(TreeSplitMode, Scalar)] = [(branch.mode, branch.threshold)]
                if branch.mode == .member {
                    // x ∈ S is a chain of x == s tests whose false child is the next test; an empty set
                    // is one test against NaN, which no value equals.
                    tests = branch.members.isEmpty ? [(.equal, .nan)] : branch.members.map { (.equal, $0) }
                }
                var chain: [Int] = []
                for (mode, threshold) in tests {
                    chain.append(nodes.count)
                    nodes.append(PackedTreeNode(
                        value: threshold,
                        feature: Int32(branch.feature),
                        trueChild: 0,
                        kind: mode.rawValue,
                        missingGoesTrue: branch.missingGoesTrue
                    ))
                }
                stack.append(Pending(child: branch.whenTrue, trueChildOf: chain))
                stack.append(Pending(child: branch.whenFalse, trueChildOf: []))
            }
        }
    }
}
