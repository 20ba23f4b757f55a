import Testing
import SluiceKernels

@Test(arguments: [
    ([3, 1, 5], [4, 1]), ([7], []), ([2, 3, 4], [2, 3, 4]), ([5, 1], [1, 6]), ([1], [9, 11]),
    ([2, 1, 3, 1], [1, 4, 1, 5]), ([13, 17], [17]), ([13, 17], [13, 1]),
])
func broadcastBinaryMatchesTheReference(shapes: ([Int], [Int])) {
    var random = SeededRandom(seed: 7)
    let a = random.floats(shapes.0.reduce(1, *)), b = random.floats(shapes.1.reduce(1, *))
    let expected = broadcastBinaryReference(a, shapeA: shapes.0, b, shapeB: shapes.1) { $0 * 2 - $1 }!
    let plan = BroadcastPlan([shapes.0, shapes.1])!
    var output = [Float](repeating: .nan, count: plan.outputCount)
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            output.withUnsafeMutableBufferPointer { output in
                broadcastBinary(a.baseAddress!, b.baseAddress!, output.baseAddress!, plan: plan) { $0 * 2 - $1 }
            }
        }
    }
    #expect(plan.outputShape == expected.shape)
    #expect(output == expected.values)
}

@Test func broadcastPlanMergesARowBiasIntoContiguousRuns() {
    let plan = BroadcastPlan([[64, 3, 10], [30]])
    #expect(plan == nil)
    let rows = BroadcastPlan([[64, 3, 10], [3, 10]])!
    #expect(rows.dimensions == [64, 30])
    #expect(rows.strides == [[30, 1], [0, 1]])
    #expect(BroadcastPlan([[4, 5], [4, 5]])!.dimensions == [20])
}

@Test func broadcastShapesThatDisagreeHaveNoBroadcast() {
    #expect(BroadcastShape.of([[2, 3], [4, 3]]) == nil)
    #expect(BroadcastShape.of([[2, 1], [1, 3], [3]]) == [2, 3])
}

@Test func selectPicksFromXWhereTheConditionHolds() {
    let condition = [true, false]
    let x: [Float] = [1, 2, 3, 4], y: [Float] = [-1]
    let plan = BroadcastPlan([[2, 1], [2, 2], [1]])!
    var output = [Float](repeating: 0, count: 4)
    condition.withUnsafeBufferPointer { c in
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                output.withUnsafeMutableBufferPointer { o in
                    broadcastSelect(c.baseAddress!, x.baseAddress!, y.baseAddress!, o.baseAddress!, plan: plan)
                }
            }
        }
    }
    #expect(output == [1, 2, -1, -1])
}

private let functions: [(UnaryFunction, ClosedRange<Float>, Float)] = [
    (.abs, -5...5, 0), (.negate, -5...5, 0), (.sqrt, 0...100, 1e-6), (.exp, -80...80, 3e-7), (.log, 0.001...1000, 1e-6),
    (.reciprocal, 0.5...9, 1e-6), (.floor, -9...9, 0), (.ceil, -9...9, 0), (.round, -9...9, 0), (.erf, -4...4, 1e-6),
    (.sign, -2...2, 0), (.relu, -3...3, 0), (.leakyRelu(alpha: 0.1), -3...3, 1e-7), (.sigmoid, -30...30, 1e-6),
    (.hardSigmoid(alpha: 0.2, beta: 0.5), -5...5, 1e-7), (.tanh, -10...10, 2e-6), (.tanh, -0.7...0.7, 2e-6),
    (.geluExact, -6...6, 1e-6), (.geluTanh, -6...6, 2e-6), (.softplus, -30...40, 1e-6), (.softsign, -5...5, 1e-6),
    (.elu(alpha: 1.5), -5...5, 1e-6), (.selu(alpha: 1.67, gamma: 1.05), -5...5, 1e-6), (.clip(min: -1, max: 0.5), -3...3, 0),
]

@Test(arguments: functions.indices)
func unaryFunctionFastPathMatchesTheReference(index: Int) {
    let (function, range, tolerance) = functions[index]
    var random = SeededRandom(seed: UInt64(index))
    // 37 is not a multiple of the vector width, so the tail path runs too.
    let input = random.floats(37, in: range) + [range.lowerBound, range.upperBound, 0].filter(range.contains)
    var output = [Float](repeating: .nan, count: input.count)
    input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { function.apply(x, into: $0) } }
    #expect(isClose(output, input.map(function.apply), tolerance: tolerance), "\(function)")
}

@Test func activationsHaveTheirTextbookValues() {
    #expect(UnaryFunction.sigmoid.apply(0) == 0.5)
    #expect(UnaryFunction.relu.apply(-2) == 0)
    #expect(UnaryFunction.leakyRelu(alpha: 0.5).apply(-2) == -1)
    #expect(Swift.abs(UnaryFunction.geluExact.apply(1) - 0.8413447) < 1e-6)
    #expect(Swift.abs(UnaryFunction.erf.apply(0.5) - 0.5204999) < 1e-6)
    #expect(UnaryFunction.clip(min: 0, max: 1).apply(7) == 1)
}
