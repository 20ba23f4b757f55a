import SluiceKernels
import Testing

@Test(arguments: [(1, 8, 1), (7, 5, 3), (64, 20, 1), (1024, 13, 4), (3, 0, 2)])
func linearScoresMatchTheReference(shape: (rows: Int, features: Int, outputs: Int)) {
    var random = SeededRandom(seed: UInt64(shape.rows * 100 + shape.features * 10 + shape.outputs))
    let scorer = LinearScorer(
        coefficients: random.floats(shape.features * shape.outputs), intercepts: random.floats(shape.outputs)
    )
    let rows = random.floats(shape.rows * shape.features)
    var scores = [Float](repeating: .nan, count: shape.rows * shape.outputs)
    rows.withUnsafeBufferPointer { rows in
        scores.withUnsafeMutableBufferPointer { scorer.scores(rows: rows, rowCount: shape.rows, into: $0) }
    }
    #expect(isClose(scores, scorer.referenceScores(rows: rows, rowCount: shape.rows), tolerance: 1e-5))
}
