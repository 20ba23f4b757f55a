/// A tree ensemble as plain data: branches, leaves and the root of every tree, independent of the
/// ONNX attribute encodings (opsets 1–3 and 5 are both translated into this).
///
/// It is what ``TreeEnsemble`` compiles from and what the scalar reference evaluator walks.
public struct TreeEnsembleDefinition<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var branches: [TreeBranch<Scalar>]
    public var leaves: [TreeLeaf<Scalar>]
    /// The root of each tree, in the order trees are aggregated.
    public var roots: [TreeChild]
    /// The number of scores per row: regression targets or classes.
    public var targetCount: Int
    public var aggregate: TreeAggregateFunction

    public init(
        branches: [TreeBranch<Scalar>],
        leaves: [TreeLeaf<Scalar>],
        roots: [TreeChild],
        targetCount: Int,
        aggregate: TreeAggregateFunction
    ) {
        self.branches = branches
        self.leaves = leaves
        self.roots = roots
        self.targetCount = targetCount
        self.aggregate = aggregate
    }

    /// One past the largest feature index any branch reads, or 0 without branches.
    public var featureCountRequired: Int {
        branches.map { $0.feature + 1 }.max() ?? 0
    }

    /// Checks that every reference points inside the ensemble, every vote targets a score that exists,
    /// every leaf votes, and no tree loops back on itself.
    public func validate() throws(TreeEnsembleError) {
        guard targetCount > 0 else { throw TreeEnsembleError("the number of targets must be positive, not \(targetCount)") }
        for (index, branch) in branches.enumerated() {
            guard branch.feature >= 0 else {
                throw TreeEnsembleError("branch \(index) reads feature \(branch.feature)")
            }
            try check(branch.whenTrue, from: "branch \(index)")
            try check(branch.whenFalse, from: "branch \(index)")
        }
        for (index, leaf) in leaves.enumerated() {
            guard !leaf.votes.isEmpty else { throw TreeEnsembleError("leaf \(index) has no weight") }
            for vote in leaf.votes where !(0..<targetCount).contains(vote.target) {
                throw TreeEnsembleError("leaf \(index) votes for target \(vote.target), outside 0..<\(targetCount)")
            }
        }
        for (tree, root) in roots.enumerated() {
            try check(root, from: "the root of tree \(tree)")
        }
        try checkAcyclic()
    }

    private func check(_ child: TreeChild, from origin: String) throws(TreeEnsembleError) {
        switch child {
        case .branch(let index) where !branches.indices.contains(index):
            throw TreeEnsembleError("\(origin) points to branch \(index), outside 0..<\(branches.count)")
        case .leaf(let index) where !leaves.indices.contains(index):
            throw TreeEnsembleError("\(origin) points to leaf \(index), outside 0..<\(leaves.count)")
        default:
            return
        }
    }

    /// A depth-first colouring of the branch graph; a branch met again while still on the path is a cycle.
    private func checkAcyclic() throws(TreeEnsembleError) {
        var marks = [VisitMark](repeating: .unvisited, count: branches.count)
        var stack: [(branch: Int, nextChild: Int)] = []
        for start in branches.indices where marks[start] == .unvisited {
            marks[start] = .onPath
            stack.append((start, 0))
            while let top = stack.last {
                if top.nextChild == 2 {
                    marks[top.branch] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].nextChild += 1
                let branch = branches[top.branch]
                guard case .branch(let child) = top.nextChild == 0 ? branch.whenTrue : branch.whenFalse else { continue }
                switch marks[child] {
                case .onPath: throw TreeEnsembleError("branch \(child) is its own descendant")
                case .unvisited:
                    marks[child] = .onPath
                    stack.append((child, 0))
                case .done: continue
                }
            }
        }
    }
}

/// The state of a branch during ``TreeEnsembleDefinition/validate()``'s cycle search.
private enum VisitMark { case unvisited, onPath, done }

/// Where a branch leads: another branch or a leaf, by index.
public enum TreeChild: Sendable, Hashable {
    case branch(Int)
    case leaf(Int)
}

/// An interior node: a comparison of one feature that picks the true or the false child.
public struct TreeBranch<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var feature: Int
    public var mode: TreeSplitMode
    /// The threshold of every mode but ``TreeSplitMode/member``.
    public var threshold: Scalar
    /// The set of a ``TreeSplitMode/member`` branch.
    public var members: [Scalar]
    /// Whether a NaN feature takes the true child whatever the comparison says.
    public var missingGoesTrue: Bool
    public var whenTrue: TreeChild
    public var whenFalse: TreeChild

    public init(
        feature: Int,
        mode: TreeSplitMode,
        threshold: Scalar,
        members: [Scalar] = [],
        missingGoesTrue: Bool,
        whenTrue: TreeChild,
        whenFalse: TreeChild
    ) {
        self.feature = feature
        self.mode = mode
        self.threshold = threshold
        self.members = members
        self.missingGoesTrue = missingGoesTrue
        self.whenTrue = whenTrue
        self.whenFalse = whenFalse
    }

    /// Whether a row whose feature is `x` takes the true child.
    ///
    /// NaN fails every comparison but `notEqual`, as IEEE comparisons do (and onnxruntime with them),
    /// unless ``missingGoesTrue`` sends it to the true child.
    @inlinable
    public func isTrue(for x: Scalar) -> Bool {
        if missingGoesTrue && x.isNaN { return true }
        switch mode {
        case .lessOrEqual: return x <= threshold
        case .less: return x < threshold
        case .greaterOrEqual: return x >= threshold
        case .greater: return x > threshold
        case .equal: return x == threshold
        case .notEqual: return x != threshold
        case .member: return members.contains(x)
        }
    }
}

/// A leaf: the weights it adds to the scores of the rows that reach it.
public struct TreeLeaf<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var votes: [TreeVote<Scalar>]

    public init(votes: [TreeVote<Scalar>]) { self.votes = votes }
}

/// One weight of a leaf, for one target (or class).
public struct TreeVote<Scalar: BinaryFloatingPoint & Sendable>: Sendable {
    public var target: Int
    public var weight: Scalar

    public init(target: Int, weight: Scalar) {
        self.target = target
        self.weight = weight
    }
}

/// The comparison a branch makes between its feature and its threshold (or set).
public enum TreeSplitMode: UInt8, Sendable, Hashable, CaseIterable {
    case lessOrEqual
    case less
    case greaterOrEqual
    case greater
    case equal
    case notEqual
    case member

    /// Parses the names of `nodes_modes` in opsets 1–3 (`"BRANCH_LEQ"`); `"LEAF"` is not a split.
    public init?(name: String) {
        switch name {
        case "BRANCH_LEQ": self = .lessOrEqual
        case "BRANCH_LT": self = .less
        case "BRANCH_GTE": self = .greaterOrEqual
        case "BRANCH_GT": self = .greater
        case "BRANCH_EQ": self = .equal
        case "BRANCH_NEQ": self = .notEqual
        default: return nil
        }
    }
}

/// How the leaves reached in the trees combine into one score per target.
public enum TreeAggregateFunction: Sendable, Hashable, CaseIterable {
    case sum
    case average
    case minimum
    case maximum

    /// Parses the string form of opsets 1–3 (`"AVERAGE"`).
    public init?(name: String) {
        switch name {
        case "SUM": self = .sum
        case "AVERAGE": self = .average
        case "MIN": self = .minimum
        case "MAX": self = .maximum
        default: return nil
        }
    }

    /// Parses the integer form of `TreeEnsemble` (ml opset 5).
    public init?(code: Int64) {
        switch code {
        case 0: self = .average
        case 1: self = .sum
        case 2: self = .minimum
        case 3: self = .maximum
        default: return nil
        }
    }
}

/// Why a tree ensemble cannot be built or evaluated.
public struct TreeEnsembleError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
