import Testing
import SluiceKernels
@testable import SluiceModel

@Test func addBroadcastsARowOverABatch() throws {
    let y = try runNode("Add", [.computed(.ramp([2, 3])), .constant(.floats([3], [10, 20, 30]))])
    #expect(y[0].shape == [2, 3])
    #expect(y[0].floats == [10, 21, 32, 13, 24, 35])
}

@Test func integerDivisionTruncatesAndDivisionByZeroGivesZero() throws {
    let y = try runNode("Div", [.computed(.int64s([3], [7, -7, 5])), .computed(.int64s([3], [2, 2, 0]))])
    #expect(y[0].int64s == [3, -3, 0])
}

@Test func meanOfThreeBroadcastInputsAveragesThem() throws {
    let y = try runNode("Mean", [.computed(.floats([2], [1, 2])), .computed(.floats([2, 1], [3, 5])), .computed(.floats([1], [0.5]))])
    #expect(y[0].shape == [2, 2])
    #expect(isClose(y[0].floats, [1.5, 1.8333334, 2.1666667, 2.5]))
}

@Test func maxPropagatesNaN() throws {
    let y = try runNode("Max", [.computed(.floats([2], [.nan, 1])), .computed(.floats([2], [3, 2]))])
    #expect(y[0].floats![0].isNaN)
    #expect(y[0].floats![1] == 2)
}

@Test func powAcceptsAnInt64ExponentFromOpset12() throws {
    let y = try runNode("Pow", [.computed(.floats([3], [1.5, 2, -3])), .constant(.int64s([1], [2]))])
    #expect(y[0].floats == [2.25, 4, 9])
    #expect(throws: OperatorError.self) {
        try compileNode("Pow", opset: 11, [.computed(.floats([1], [1])), .constant(.int64s([1], [2]))])
    }
}

@Test func comparisonsProduceBooleansAndWhereSelects() throws {
    let a = Tensor.floats([4], [1, 2, 3, 4])
    let less = try runNode("Less", [.computed(a), .constant(.floats([], [2.5]))])
    #expect(less[0].bools == [true, true, false, false])
    let equal = try runNode("Equal", [.computed(.int64s([3], [1, 2, 3])), .constant(.int64s([1], [2]))])
    #expect(equal[0].bools == [false, true, false])
    let selected = try runNode("Where", [.computed(less[0]), .computed(a), .constant(.floats([1], [0]))])
    #expect(selected[0].floats == [1, 2, 0, 0])
    let negated = try runNode("Not", [.computed(less[0])])
    #expect(negated[0].bools == [false, false, true, true])
}

@Test func addingMismatchedTypesIsRejectedAtCompileTime() {
    #expect(throws: OperatorError.self) {
        try compileNode("Add", [.computed(.ramp([2])), .computed(.int64s([2], [1, 2]))])
    }
}

@Test func geluHasExactAndTanhForms() throws {
    let x = Tensor.floats([5], [-3, -0.5, 0, 0.7, 2])
    let exact = try runNode("Gelu", [.computed(x)])
    #expect(isClose(exact[0].floats, [-0.0040496885776519775, -0.1542687714099884, 0.0, 0.5306254625320435, 1.9544997215270996]))
    let tanh = try runNode("Gelu", [.computed(x)], attributes: ["approximate": .string("tanh")])
    #expect(isClose(tanh[0].floats, [-0.003637343645095825, -0.1542859971523285, 0.0, 0.5305701494216919, 1.9545977115631104]))
    #expect(throws: OperatorError.self) {
        try compileNode("Gelu", [.computed(x)], attributes: ["approximate": .string("erf")])
    }
}

@Test func clipReadsItsBoundsFromAttributesBeforeOpset11AndInputsAfter() throws {
    let x = Tensor.floats([4], [-2, 0.5, 3, 9])
    let old = try runNode("Clip", opset: 6, [.computed(x)], attributes: ["min": .float(0), "max": .float(2)])
    #expect(old[0].floats == [0, 0.5, 2, 2])
    let new = try runNode("Clip", opset: 13, [.computed(x), .omitted, .constant(.floats([], [3]))])
    #expect(new[0].floats == [-2, 0.5, 3, 3])
}

@Test func activationsApplyTheirAttributes() throws {
    let x = Tensor.floats([3], [-2, 0, 2])
    #expect(try runNode("LeakyRelu", [.computed(x)], attributes: ["alpha": .float(0.5)])[0].floats == [-1, 0, 2])
    #expect(try runNode("Relu", [.computed(x)])[0].floats == [0, 0, 2])
    #expect(isClose(try runNode("Sigmoid", [.computed(x)])[0].floats, [0.11920292, 0.5, 0.88079708]))
    #expect(try runNode("Abs", [.computed(.int64s([2], [-3, 4]))])[0].int64s == [3, 4])
    #expect(try runNode("IsNaN", [.computed(.floats([2], [.nan, 1]))])[0].bools == [true, false])
}

@Test func subtractingAOneRowMatrixRepeatsItOverEveryRow() throws {
    let y = try runNode("Sub", [.computed(.ramp([3, 2])), .constant(.floats([1, 2], [10, 20]))])
    #expect(y[0].shape == [3, 2])
    #expect(y[0].floats == [-10, -19, -8, -17, -6, -15])
    let batched = try runNode("Div", [.computed(.ramp([2, 2, 2])), .constant(.floats([1, 1, 2], [2, 4]))])
    #expect(batched[0].shape == [2, 2, 2])
    #expect(batched[0].floats == [0, 0.25, 1, 0.75, 2, 1.25, 3, 1.75])
}
