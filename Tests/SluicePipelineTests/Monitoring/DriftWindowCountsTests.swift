import SluiceRandom
import Testing
@testable import SluicePipeline

/// The drift window's branch-free bin lookup puts every value in the bin the profile's own lookup does.
@Suite struct DriftWindowCountsTests {
    @Test func theBinOfEveryValueIsTheProfilesBinEdgesIncluded() {
        var random = SplitMix64(seed: 9)
        for edgeCount in 0..<24 {
            let edges = (0..<edgeCount).map { Double($0) * 1.5 - 10 + random.uniform() }
            let column = ColumnProfile(
                name: "x", count: 1, missing: 0, minimum: -20, maximum: 40, edges: edges,
                fractions: [Double](repeating: 1 / Double(edgeCount + 1), count: edgeCount + 1)
            )
            let values = edges + edges.map { $0.nextUp } + edges.map { $0.nextDown } + (0..<50).map { _ in random.uniform() * 60 - 20 } + [-.infinity, .infinity]
            edges.withUnsafeBufferPointer { pointer in
                for value in values {
                    let bin = DriftWindowCounts.firstEdge(atLeast: value, in: pointer.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: edgeCount)
                    #expect(bin == column.bin(of: value), "\(value) among \(edgeCount) edges")
                }
            }
        }
    }
}
