extension TreeEnsemble {
    /// Rows per block: the scores of a block and the rows themselves stay in cache while every tree passes over them.
    @usableFromInline static var blockSize: Int { 128 }

    /// Walks every tree for every row and folds the weights of the leaves reached into `scores`,
    /// which is reset to `rowCount` rows first.
    ///
    /// Trees are aggregated in order for each row, exactly as the reference evaluator does.
    /// - Parameters:
    ///   - rows: `rowCount × featureCount` features, row-major.
    /// - Precondition: `featureCount >= featureCountRequired`, `scores.targetCount == targetCount`.
    ///
    /// Inlinable so that callers specialise it for their scalar type instead of running generic code.
    @inlinable
    public func accumulate(
        rows: UnsafeBufferPointer<Scalar>,
        rowCount: Int,
        featureCount: Int,
        into scores: inout TreeScores<Scalar>
    ) {
        precondition(featureCount >= featureCountRequired && rows.count >= rowCount * featureCount)
        precondition(scores.targetCount == targetCount)
        if rows.baseAddress == nil && rowCount > 0 {
            // Rows without features (trees that are single leaves) still need an address to walk from.
            let placeholder = [Scalar](repeating: 0, count: 1)
            placeholder.withUnsafeBufferPointer { accumulate(rows: $0, rowCount: rowCount, featureCount: 0, into: &scores) }
            return
        }
        scores.reset(rowCount: rowCount)
        switch aggregate {
        case .sum, .average: dispatchSplit(SumOfVotes.self, rows, rowCount, featureCount, &scores)
        case .minimum: dispatchSplit(MinimumOfVotes.self, rows, rowCount, featureCount, &scores)
        case .maximum: dispatchSplit(MaximumOfVotes.self, rows, rowCount, featureCount, &scores)
        }
    }

    /// Picks a walker specialised for the ensemble's split mode, so the common case (one mode for
    /// every branch, as every exporter emits) pays no per-node dispatch.
    @inlinable
    func dispatchSplit<Aggregator: VoteAggregator>(
        _ aggregator: Aggregator.Type,
        _ rows: UnsafeBufferPointer<Scalar>,
        _ rowCount: Int,
        _ featureCount: Int,
        _ scores: inout TreeScores<Scalar>
    ) {
        func run<Split: SplitTest>(_ split: Split.Type) {
            if tracksMissing {
                walk(NaNGoesTrueWhenTracked<Split>.self, Aggregator.self, rows, rowCount, featureCount, &scores)
            } else {
                walk(Split.self, Aggregator.self, rows, rowCount, featureCount, &scores)
            }
        }
        switch uniformMode {
        case .lessOrEqual: run(LessOrEqualTest.self)
        case .less: run(LessTest.self)
        case .greaterOrEqual: run(GreaterOrEqualTest.self)
        case .greater: run(GreaterTest.self)
        case .equal: run(EqualTest.self)
        case .notEqual: run(NotEqualTest.self)
        case .member, nil: run(AnyModeTest.self)
        }
    }

    @inlinable
    func walk<Split: SplitTest, Aggregator: VoteAggregator>(
        _ split: Split.Type,
        _ aggregator: Aggregator.Type,
        _ rows: UnsafeBufferPointer<Scalar>,
        _ rowCount: Int,
        _ featureCount: Int,
        _ scores: inout TreeScores<Scalar>
    ) {
        let targetCount = self.targetCount
        let singleWeightLeaves = self.singleWeightLeaves
        nodes.withUnsafeBufferPointer { nodes in
        voteTargets.withUnsafeBufferPointer { voteTargets in
        voteWeights.withUnsafeBufferPointer { voteWeights in
        scores.values.withUnsafeMutableBufferPointer { values in
        scores.scored.withUnsafeMutableBufferPointer { scored in
            guard let base = rows.baseAddress, let nodes = nodes.baseAddress else { return }
            @inline(__always)
            func step(_ index: Int, _ features: UnsafePointer<Scalar>) -> Int {
                let node = nodes[index]
                if node.isLeaf { return index }
                return Split.isTrue(features[Int(node.feature)], node) ? Int(node.trueChild) : index + 1
            }
            @inline(__always)
            func vote(_ leafIndex: Int, _ row: Int) {
                let leaf = nodes[leafIndex]
                if singleWeightLeaves {
                    Aggregator.combine(leaf.value, into: &values[row], scored: &scored[row])
                } else {
                    let first = Int(leaf.trueChild)
                    for vote in first..<(first + Int(leaf.feature)) {
                        let slot = row * targetCount + voteTargets[vote]
                        Aggregator.combine(voteWeights[vote], into: &values[slot], scored: &scored[slot])
                    }
                }
            }
            var blockStart = 0
            while blockStart < rowCount {
                let blockEnd = min(rowCount, blockStart + Self.blockSize)
                for root in roots {
                    // Four rows descend together: their paths are independent, so the processor
                    // overlaps their loads and mispredicted branches instead of waiting on each.
                    var row = blockStart
                    while row + 4 <= blockEnd {
                        let f0 = base + row * featureCount
                        let f1 = f0 + featureCount
                        let f2 = f1 + featureCount
                        let f3 = f2 + featureCount
                        var (i0, i1, i2, i3) = (root, root, root, root)
                        repeat {
                            i0 = step(i0, f0)
                            i1 = step(i1, f1)
                            i2 = step(i2, f2)
                            i3 = step(i3, f3)
                        } while !(nodes[i0].isLeaf && nodes[i1].isLeaf && nodes[i2].isLeaf && nodes[i3].isLeaf)
                        vote(i0, row)
                        vote(i1, row + 1)
                        vote(i2, row + 2)
                        vote(i3, row + 3)
                        row += 4
                    }
                    while row < blockEnd {
                        let features = base + row * featureCount
                        var index = root
                        while !nodes[index].isLeaf { index = step(index, features) }
                        vote(index, row)
                        row += 1
                    }
                }
                blockStart = blockEnd
            }
        }
        }
        }
        }
        }
    }
}

/// How a branch of one mode decides; a type per mode lets the walker be specialised for it.
@usableFromInline
protocol SplitTest {
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool
}

@usableFromInline enum LessOrEqualTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x <= node.value }
}

@usableFromInline enum LessTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x < node.value }
}

@usableFromInline enum GreaterOrEqualTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x >= node.value }
}

@usableFromInline enum GreaterTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x > node.value }
}

@usableFromInline enum EqualTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x == node.value }
}

@usableFromInline enum NotEqualTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool { x != node.value }
}

/// For ensembles that mix modes: dispatches on each node's mode.
@usableFromInline enum AnyModeTest: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool {
        switch node.kind {
        case TreeSplitMode.lessOrEqual.rawValue: x <= node.value
        case TreeSplitMode.less.rawValue: x < node.value
        case TreeSplitMode.greaterOrEqual.rawValue: x >= node.value
        case TreeSplitMode.greater.rawValue: x > node.value
        case TreeSplitMode.equal.rawValue: x == node.value
        default: x != node.value
        }
    }
}

/// Adds the branch's missing-value tracking to another test.
@usableFromInline enum NaNGoesTrueWhenTracked<Base: SplitTest>: SplitTest {
    @inlinable @inline(__always)
    static func isTrue<Scalar>(_ x: Scalar, _ node: PackedTreeNode<Scalar>) -> Bool {
        Base.isTrue(x, node) || (node.missingGoesTrue && x.isNaN)
    }
}

/// How a leaf weight folds into a score; a type per aggregate function lets the walker be specialised for it.
@usableFromInline
protocol VoteAggregator {
    static func combine<Scalar: BinaryFloatingPoint>(_ vote: Scalar, into score: inout Scalar, scored: inout Bool)
}

@usableFromInline enum SumOfVotes: VoteAggregator {
    @inlinable @inline(__always)
    static func combine<Scalar: BinaryFloatingPoint>(_ vote: Scalar, into score: inout Scalar, scored: inout Bool) {
        score += vote
        scored = true
    }
}

@usableFromInline enum MinimumOfVotes: VoteAggregator {
    @inlinable @inline(__always)
    static func combine<Scalar: BinaryFloatingPoint>(_ vote: Scalar, into score: inout Scalar, scored: inout Bool) {
        if !scored || vote < score { score = vote }
        scored = true
    }
}

@usableFromInline enum MaximumOfVotes: VoteAggregator {
    @inlinable @inline(__always)
    static func combine<Scalar: BinaryFloatingPoint>(_ vote: Scalar, into score: inout Scalar, scored: inout Bool) {
        if !scored || vote > score { score = vote }
        scored = true
    }
}
