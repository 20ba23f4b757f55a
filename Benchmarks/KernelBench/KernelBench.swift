import Foundation
import SluiceKernels
import SluiceRandom

/// Measures the ai.onnx.ml kernels against their scalar references in the same run, as medians of
/// alternating rounds:
/// tree ensembles shaped like a random forest and like gradient boosting, and a linear model, at
/// batch sizes 1, 64 and 1024.
///
///     swift run -c release sluice-kernel-bench
@main
enum KernelBench {
    static func main() throws {
        print("kernel                          batch   packed rows/s   reference rows/s   speed-up")
        let shapes: [(name: String, trees: Int, depth: Int, targets: Int)] = [
            ("forest 100 trees depth 8", 100, 8, 1),
            ("boosting 300 trees depth 4", 300, 4, 1),
            ("boosting 3 classes 3×100 d4", 300, 4, 3),
        ]
        for shape in shapes {
            var random = RandomEnsemble(seed: 42, featureCount: 20)
            let definition = random.definition(trees: shape.trees, depth: shape.depth, targetCount: shape.targets)
            let ensemble = try TreeEnsemble(definition)
            for batch in [1, 64, 1024] {
                let rows = random.rows(batch)
                var scores = TreeScores<Float>(rowCount: 0, targetCount: shape.targets)
                let timing = time(
                    fast: {
                        rows.withUnsafeBufferPointer {
                            ensemble.accumulate(rows: $0, rowCount: batch, featureCount: 20, into: &scores)
                        }
                    },
                    reference: { _ = definition.referenceScores(rows: rows, rowCount: batch) }
                )
                report(shape.name, batch, timing)
            }
        }
        var random = RandomEnsemble(seed: 7, featureCount: 64)
        let coefficients = (0..<3 * 64).map { _ in Float.random(in: -1...1, using: &random.generator) }
        let scorer = LinearScorer(coefficients: coefficients, intercepts: [0.1, 0.2, 0.3])
        for batch in [1, 64, 1024] {
            let rows = random.rows(batch)
            var scores = [Float](repeating: 0, count: batch * 3)
            let timing = time(
                fast: {
                    rows.withUnsafeBufferPointer { x in
                        scores.withUnsafeMutableBufferPointer { scorer.scores(rows: x, rowCount: batch, into: $0) }
                    }
                },
                reference: { _ = scorer.referenceScores(rows: rows, rowCount: batch) }
            )
            report("linear 64 features 3 outputs", batch, timing)
        }
    }

    static func report(_ name: String, _ batch: Int, _ timing: PairedTiming) {
        let line = name.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(
                format: "%5d %15.0f %18.0f %9.2fx", batch, Double(batch) / timing.fast, Double(batch) / timing.reference,
                timing.speedUp
            )
        print(line)
    }

    /// Median seconds per call of a fast kernel and its reference, and the median of their per-round
    /// ratios. The two alternate within each round, so that load from other processes hits both alike.
    struct PairedTiming {
        var fast: Double
        var reference: Double
        var speedUp: Double
    }

    static func time(fast: () -> Void, reference: () -> Void) -> PairedTiming {
        let fastRepetitions = repetitions(for: fast)
        let referenceRepetitions = repetitions(for: reference)
        var fastSamples: [Double] = []
        var referenceSamples: [Double] = []
        var ratios: [Double] = []
        for _ in 0..<21 {
            let f = seconds(fastRepetitions, fast)
            let r = seconds(referenceRepetitions, reference)
            fastSamples.append(f)
            referenceSamples.append(r)
            ratios.append(r / f)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return PairedTiming(fast: median(fastSamples), reference: median(referenceSamples), speedUp: median(ratios))
    }

    /// Enough repetitions of `body` to last about a millisecond.
    static func repetitions(for body: () -> Void) -> Int {
        var count = 1
        while seconds(count, body) * Double(count) < 0.001 { count *= 2 }
        return count
    }

    /// Seconds per call of `body`, over `count` calls.
    static func seconds(_ count: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<count { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(count)
    }
}

/// Random ensembles with every branch comparing `<=`, as scikit-learn, LightGBM and HistGradientBoosting export them.
struct RandomEnsemble {
    var generator: SplitMix64
    let featureCount: Int

    init(seed: UInt64, featureCount: Int) {
        generator = SplitMix64(seed: seed)
        self.featureCount = featureCount
    }

    mutating func definition(trees: Int, depth: Int, targetCount: Int) -> TreeEnsembleDefinition<Float> {
        var branches: [TreeBranch<Float>] = []
        var leaves: [TreeLeaf<Float>] = []
        func grow(_ depth: Int, target: Int) -> TreeChild {
            if depth == 0 {
                leaves.append(TreeLeaf(votes: [TreeVote(target: target, weight: Float.random(in: -1...1, using: &generator))]))
                return .leaf(leaves.count - 1)
            }
            let whenTrue = grow(depth - 1, target: target)
            let whenFalse = grow(depth - 1, target: target)
            branches.append(TreeBranch(
                feature: Int.random(in: 0..<featureCount, using: &generator), mode: .lessOrEqual,
                threshold: Float.random(in: -1...1, using: &generator), missingGoesTrue: false,
                whenTrue: whenTrue, whenFalse: whenFalse
            ))
            return .branch(branches.count - 1)
        }
        let roots = (0..<trees).map { grow(depth, target: $0 % targetCount) }
        return TreeEnsembleDefinition(branches: branches, leaves: leaves, roots: roots, targetCount: targetCount, aggregate: .sum)
    }

    mutating func rows(_ count: Int) -> [Float] {
        (0..<count * featureCount).map { _ in Float.random(in: -1.2...1.2, using: &generator) }
    }
}

