import Testing
import SluiceKernels
@testable import SluiceModel

private let cube = Tensor.ramp([2, 2, 3], start: -1, step: 1 / 3)

@Test func softmaxBeforeOpset13NormalisesTheFlattenedTrailingDimensions() throws {
    // Expected values from onnxruntime: onnx.reference normalises the last axis only here.
    let y = try runNode("Softmax", opset: 11, [.computed(cube)])
    #expect(isClose(y[0].floats, [0.06192033, 0.08641678, 0.12060434, 0.1683169, 0.23490515, 0.32783654, 0.06192032, 0.08641677, 0.12060433, 0.16831687, 0.23490512, 0.32783654]))
}

@Test func softmaxFromOpset13NormalisesOneAxis() throws {
    let y = try runNode("Softmax", opset: 13, [.computed(cube)], attributes: ["axis": .int(1)])
    #expect(isClose(y[0].floats, [0.26894140243530273, 0.26894140243530273, 0.2689414322376251, 0.7310585975646973, 0.7310585975646973, 0.7310585975646973, 0.26894140243530273, 0.26894140243530273, 0.26894140243530273, 0.7310585975646973, 0.7310585975646973, 0.7310585975646973]))
    let log = try runNode("LogSoftmax", opset: 13, [.computed(cube)])
    #expect(isClose(log[0].floats, [-1.4686450958251953, -1.1353118419647217, -0.8019784092903137, -1.4686450958251953, -1.1353117227554321, -0.8019784688949585, -1.4686452150344849, -1.1353119611740112, -0.8019784092903137, -1.4686452150344849, -1.1353119611740112, -0.8019784092903137]))
}

@Test func reduceSumTakesAxesAsAnAttributeBeforeOpset13AndAsAnInputAfter() throws {
    let old = try runNode("ReduceSum", opset: 11, [.computed(cube)], attributes: ["axes": .ints([0, 2]), "keepdims": .int(0)])
    #expect(old[0].shape == [2])
    #expect(isClose(old[0].floats, [2, 8]))
    let new = try runNode("ReduceSum", opset: 13, [.computed(cube), .constant(.int64s([1], [1]))])
    #expect(new[0].shape == [2, 1, 3])
    #expect(isClose(new[0].floats, [-1.0, -0.33333325386047363, 0.3333333134651184, 3.0, 3.6666665077209473, 4.333333492279053]))
}

@Test func reductionsMatchTheReference() throws {
    let mean = try runNode("ReduceMean", opset: 18, [.computed(cube), .constant(.int64s([1], [-1]))], attributes: ["keepdims": .int(0)])
    #expect(isClose(mean[0].floats, [-0.6666666865348816, 0.3333333432674408, 1.3333333730697632, 2.3333332538604736]))
    let logSumExp = try runNode("ReduceLogSumExp", opset: 18, [.computed(cube)])
    #expect(logSumExp[0].shape == [1, 1, 1])
    #expect(isClose(logSumExp[0].floats, [3.908834934234619]))
    let l2 = try runNode("ReduceL2", opset: 13, [.computed(cube)], attributes: ["axes": .ints([1])])
    #expect(isClose(l2[0].floats, [1.0, 0.7453559637069702, 0.7453559041023254, 2.2360680103302, 2.6874191761016846, 3.144660472869873]))
    let noop = try runNode("ReduceMax", opset: 18, [.computed(cube), .constant(.int64s([0], []))], attributes: ["noop_with_empty_axes": .int(1)])
    #expect(noop[0].floats == cube.floats)
}

@Test func argMaxSelectsTheLastTiedIndexWhenAsked() throws {
    let y = try runNode("ArgMax", [.computed(.floats([2, 3], [1, 3, 3, 2, 0, 2]))], attributes: ["axis": .int(1), "keepdims": .int(0), "select_last_index": .int(1)])
    #expect(y[0].shape == [2])
    #expect(y[0].int64s == [2, 2])
}

@Test func normalizationsMatchTheReference() throws {
    let bn = try runNode("BatchNormalization", [
        .computed(cube), .constant(.floats([2], [1.5, 0.5])), .constant(.floats([2], [0.1, -0.2])),
        .constant(.floats([2], [0.3, -0.1])), .constant(.floats([2], [0.8, 2.0])),
    ], attributes: ["epsilon": .float(1e-3)])
    #expect(isClose(bn[0].floats, [-2.0788049697875977, -1.5201369524002075, -0.9614690542221069, -0.1646534949541092, -0.046831801533699036, 0.07098986208438873, 1.273202657699585, 1.8318705558776855, 2.3905386924743652, 0.5422766208648682, 0.6600982546806335, 0.7779200077056885]))
    let ln = try runNode("LayerNormalization", opset: 17, [.computed(cube), .constant(.floats([3], [1, 2, 0.5])), .constant(.floats([3], [0, 0.1, -0.1]))], outputs: 3)
    #expect(isClose(ln[0].floats, [-1.224662184715271, 0.10000044107437134, 0.5123311877250671, -1.2246623039245605, 0.10000021755695343, 0.5123310089111328, -1.224662184715271, 0.09999912232160568, 0.5123310685157776, -1.2246618270874023, 0.10000000149011612, 0.5123313069343567], tolerance: 1e-4))
    #expect(isClose(ln[1].floats, [-0.6666666865348816, 0.3333333432674408, 1.3333333730697632, 2.3333332538604736]))
    #expect(isClose(ln[2].floats, [3.6739866733551025, 3.6739866733551025, 3.6739861965179443, 3.6739861965179443], tolerance: 1e-4))
}

@Test func batchNormalizationInTrainingModeIsRejectedAtCompileTime() {
    let stats = NodeInput.constant(.floats([2], [1, 1]))
    #expect(throws: OperatorError.self) {
        try compileNode("BatchNormalization", [.computed(cube), stats, stats, stats, stats], attributes: ["training_mode": .int(1)])
    }
}

@Test func reshapeCopiesZeroDimensionsAndInfersMinusOne() throws {
    let shape = NodeInput.constant(.int64s([3], [0, -1, 1]))
    let compiled = try compileNode("Reshape", [.computed(cube, declaredShape: [.dynamic("N"), .fixed(2), .fixed(3)]), shape])
    #expect(compiled.outputs[0].shape == [.dynamic("N"), .dynamic(nil), .fixed(1)])
    let y = try runNode("Reshape", [.computed(cube), shape])
    #expect(y[0].shape == [2, 6, 1])
    #expect(y[0].floats == cube.floats)
    let allowZero = try runNode("Reshape", [.computed(.floats([0, 3], [])), .constant(.int64s([2], [3, 0]))], attributes: ["allowzero": .int(1)])
    #expect(allowZero[0].shape == [3, 0])
}

@Test func squeezeAndUnsqueezeTakeAxesFromAttributesOrInputs() throws {
    let x = Tensor.ramp([2, 1, 3])
    #expect(try runNode("Squeeze", opset: 11, [.computed(x)], attributes: ["axes": .ints([1])])[0].shape == [2, 3])
    #expect(try runNode("Squeeze", opset: 13, [.computed(x)])[0].shape == [2, 3])
    #expect(try runNode("Unsqueeze", opset: 13, [.computed(x), .constant(.int64s([2], [0, -1]))])[0].shape == [1, 2, 1, 3, 1])
    #expect(try runNode("Unsqueeze", opset: 11, [.computed(x)], attributes: ["axes": .ints([1])])[0].shape == [2, 1, 1, 3])
    #expect(throws: OperatorError.self) { try compileNode("Squeeze", opset: 13, [.computed(x), .constant(.int64s([1], [0]))]) }
}

@Test func flattenKeepsLeadingDimensionsAsRows() throws {
    let y = try runNode("Flatten", [.computed(cube)])
    #expect(y[0].shape == [2, 6])
    #expect(try runNode("Flatten", [.computed(cube)], attributes: ["axis": .int(0)])[0].shape == [1, 12])
}

@Test func sliceClampsAndStepsBackwards() throws {
    let y = try runNode("Slice", [
        .computed(.ramp([4, 5])), .constant(.int64s([2], [-1, 1])), .constant(.int64s([2], [-100, 100])),
        .constant(.int64s([2], [0, 1])), .constant(.int64s([2], [-2, 2])),
    ])
    #expect(y[0].shape == [2, 2])
    #expect(y[0].floats == [16, 18, 6, 8])
}

@Test func gatherAcceptsNegativeIndicesAlongAnAxis() throws {
    let y = try runNode("Gather", [.computed(.ramp([3, 4])), .constant(.int64s([1, 2], [3, -4]))], attributes: ["axis": .int(1)])
    #expect(y[0].shape == [3, 1, 2])
    #expect(y[0].floats == [3, 0, 7, 4, 11, 8])
    #expect(throws: OperatorError.self) {
        try runNode("Gather", [.computed(.ramp([3])), .constant(.int64s([1], [3]))])
    }
}

@Test func layoutOperatorsMoveElementsOfAnyType() throws {
    let transposed = try runNode("Transpose", [.computed(.int64s([1, 2, 3], [0, 1, 2, 3, 4, 5]))], attributes: ["perm": .ints([2, 0, 1])])
    #expect(transposed[0].shape == [3, 1, 2])
    #expect(transposed[0].int64s == [0, 3, 1, 4, 2, 5])
    let tiled = try runNode("Tile", [.computed(.int64s([1, 2], [1, 2])), .constant(.int64s([2], [2, 2]))])
    #expect(tiled[0].int64s == [1, 2, 1, 2, 1, 2, 1, 2])
    let expanded = try runNode("Expand", [.computed(.floats([2, 1], [1, 2])), .constant(.int64s([3], [2, 1, 3]))])
    #expect(expanded[0].shape == [2, 2, 3])
    #expect(expanded[0].floats == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
    let joined = try runNode("Concat", [.computed(.ramp([2, 1])), .computed(.ramp([2, 2], start: 10))], attributes: ["axis": .int(-1)])
    #expect(joined[0].floats == [0, 10, 11, 1, 12, 13])
}

@Test func castTruncatesTowardZeroAndRejectsStrings() throws {
    #expect(try runNode("Cast", [.computed(.floats([3], [-1.7, 0, 2.9]))], attributes: ["to": .int(7)])[0].int64s == [-1, 0, 2])
    #expect(try runNode("Cast", [.computed(.int64s([2], [0, 3]))], attributes: ["to": .int(9)])[0].bools == [false, true])
    #expect(throws: OperatorError.self) {
        try compileNode("Cast", [.computed(.ramp([2]))], attributes: ["to": .int(8)])
    }
}

@Test func shapeConstantAndDropoutBehaveAsAtInference() throws {
    let shape = try compileNode("Shape", [.computed(cube, declaredShape: [.dynamic("N"), .fixed(2), .fixed(3)])])
    #expect(shape.outputs[0].constant == nil)
    var outputs = [Tensor.empty]
    try shape.operation.run([cube], &outputs)
    #expect(outputs[0].int64s == [2, 2, 3])
    let filled = try runNode("ConstantOfShape", [.computed(.int64s([2], [2, 2]))], attributes: ["value": .tensor(.int64s([1], [7]))])
    #expect(filled[0].int64s == [7, 7, 7, 7])
    let dropout = try runNode("Dropout", opset: 13, [.computed(cube)], outputs: 2)
    #expect(dropout[0].floats == cube.floats)
    #expect(dropout[1].bools == Array(repeating: true, count: 12))
    let constant = try compileNode("Constant", [], attributes: ["value_floats": .floats([1, 2])])
    #expect(constant.outputs[0].constant?.floats == [1, 2])
}
