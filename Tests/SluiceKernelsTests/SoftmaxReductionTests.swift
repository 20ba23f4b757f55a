import Testing
import SluiceKernels

@Test(arguments: [(1, 3, 1), (37, 3, 1), (5, 11, 1), (4, 17, 1), (2, 9, 3), (3, 1, 5)])
func softmaxMatchesTheReference(layout: (outer: Int, axis: Int, inner: Int)) {
    var random = SeededRandom(seed: UInt64(layout.axis))
    let input = random.floats(layout.outer * layout.axis * layout.inner, in: -20...20)
    for logarithmic in [false, true] {
        var output = [Float](repeating: .nan, count: input.count)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                softmax(x.baseAddress!, y.baseAddress!, outer: layout.outer, axis: layout.axis, inner: layout.inner, logarithmic: logarithmic)
            }
        }
        let expected = softmaxReference(input, outer: layout.outer, axis: layout.axis, inner: layout.inner, logarithmic: logarithmic)
        #expect(isClose(output, expected, tolerance: 1e-6))
    }
}

@Test func softmaxOfEqualScoresIsUniform() {
    let input: [Float] = [3, 3, 3, 3]
    var output = [Float](repeating: 0, count: 4)
    input.withUnsafeBufferPointer { x in
        output.withUnsafeMutableBufferPointer { softmax(x.baseAddress!, $0.baseAddress!, outer: 1, axis: 4, inner: 1, logarithmic: false) }
    }
    #expect(output == [0.25, 0.25, 0.25, 0.25])
}

private let reductions: [Reduction] = [.sum, .mean, .max, .min, .product, .l1, .l2, .logSum, .logSumExp, .sumSquare]

@Test(arguments: reductions, [Set([0]), Set([1]), Set([2]), Set([0, 2]), Set([0, 1, 2])])
func reductionMatchesTheReference(reduction: Reduction, axes: Set<Int>) {
    var random = SeededRandom(seed: 11)
    let shape = [3, 5, 7]
    let input = random.floats(105, in: 0.5...1.5)
    let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    var output = [Float](repeating: .nan, count: kept.reduce(1, *))
    input.withUnsafeBufferPointer { x in
        output.withUnsafeMutableBufferPointer { reduce(reduction, x.baseAddress!, shape: shape, axes: axes, into: $0.baseAddress!) }
    }
    #expect(isClose(output, reduceReference(reduction, input, shape: shape, axes: axes), tolerance: 1e-5), "\(reduction)")
}

@Test func argMaxPicksTheFirstOrLastOfTiedMaxima() {
    let input: [Float] = [1, 5, 5, 2, 0, 0]
    var first = [Int64](repeating: -1, count: 2), last = first
    input.withUnsafeBufferPointer { x in
        argReduce(x.baseAddress!, outer: 2, axis: 3, inner: 1, largest: true, selectLastIndex: false, into: &first)
        argReduce(x.baseAddress!, outer: 2, axis: 3, inner: 1, largest: true, selectLastIndex: true, into: &last)
    }
    #expect(first == [1, 0])
    #expect(last == [2, 0])
}
