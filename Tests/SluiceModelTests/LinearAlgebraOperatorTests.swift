import Testing
import SluiceKernels
@testable import SluiceModel

// Expected values come from onnx.reference (ONNX's Python reference evaluator) on the same inputs.

@Test func gemmWithTransposedConstantWeightsAlphaAndBetaMatchesTheReference() throws {
    let a = Tensor.ramp([2, 3], start: -0.3, step: 0.25)
    let b = Tensor.ramp([4, 3], start: -0.5, step: 1 / 7)
    let c = Tensor.floats([4], [0.5, -1, 2, 0.25])
    let y = try runNode("Gemm", [.computed(a), .constant(b), .constant(c)], attributes: ["transB": .int(1), "alpha": .float(0.5), "beta": .float(2)])
    #expect(y[0].shape == [2, 4])
    #expect(isClose(y[0].floats, [1.0625, -1.9696428775787354, 3.9982142448425293, 0.46607139706611633, 0.6607142686843872, -1.889285683631897, 4.560714244842529, 1.5107142925262451]))
}

@Test func gemmWithComputedWeightsAndAColumnBiasMatchesTheReference() throws {
    let a = Tensor.ramp([2, 3], start: -0.3, step: 0.25)
    let bT = Tensor.ramp([4, 3], start: -0.5, step: 1 / 7).floats!
    let b = Tensor.floats([3, 4], (0..<12).map { bT[($0 % 4) * 3 + $0 / 4] })
    let y = try runNode("Gemm", [.computed(a), .computed(b), .computed(.floats([2, 1], [1, 2]))])
    #expect(isClose(y[0].floats, [1.125, 1.0607142448425293, 0.9964285492897034, 0.9321427941322327, 1.3214285373687744, 2.221428632736206, 3.1214284896850586, 4.02142858505249]))
}

@Test func matMulByAConstantPacksItAndTreatsLeadingDimensionsAsRows() throws {
    let a = Tensor.ramp([2, 3, 4], start: -1, step: 0.1)
    let w = Tensor.ramp([4, 5], start: -1, step: 1 / 9)
    let compiled = try compileNode("MatMul", [.computed(a), .constant(w)])
    #expect(compiled.operation is PackedMatMul)
    let y = try runNode("MatMul", [.computed(a), .constant(w)])
    #expect(y[0].shape == [2, 3, 5])
    #expect(isClose(y[0].floats, [0.8444444537162781, 0.46666669845581055, 0.08888889104127884, -0.28888893127441406, -0.6666666865348816, 0.5777778029441833, 0.3777778148651123, 0.17777778208255768, -0.02222222089767456, -0.2222222089767456, 0.31111112236976624, 0.2888889014720917, 0.2666666805744171, 0.24444444477558136, 0.2222222536802292, 0.04444444179534912, 0.19999998807907104, 0.35555553436279297, 0.5111110806465149, 0.6666666269302368, -0.2222222238779068, 0.11111105233430862, 0.44444435834884644, 0.7777777314186096, 1.111111044883728, -0.48888882994651794, 0.022222232073545456, 0.5333333015441895, 1.0444444417953491, 1.5555555820465088]))
}

@Test func batchedMatMulOfTwoComputedOperandsMatchesTheReference() throws {
    let a = Tensor.ramp([2, 3, 4], start: -1, step: 0.1)
    let b = Tensor.ramp([2, 4, 5], start: -1, step: 1 / 13)
    let y = try runNode("MatMul", [.computed(a), .computed(b)])
    #expect(y[0].shape == [2, 3, 5])
    #expect(isClose(y[0].floats, [1.6307692527770996, 1.3692307472229004, 1.1076922416687012, 0.8461537957191467, 0.5846153497695923, 0.9538461565971375, 0.8153846263885498, 0.6769230961799622, 0.5384615063667297, 0.40000003576278687, 0.2769230604171753, 0.26153847575187683, 0.2461538463830948, 0.23076924681663513, 0.2153846174478531, 1.7538461685180664, 1.8615384101867676, 1.9692307710647583, 2.07692289352417, 2.184615135192871, 3.538461685180664, 3.769230842590332, 4.0, 4.230769157409668, 4.461538314819336, 5.3230767250061035, 5.6769232749938965, 6.030769348144531, 6.384614944458008, 6.738461494445801]))
}

@Test func matMulKeepsTheBatchDimensionDynamic() throws {
    let x = NodeInput.computed(.ramp([3, 20]), declaredShape: [.dynamic("N"), .fixed(20)])
    let compiled = try compileNode("MatMul", [x, .constant(.ramp([20, 8]))])
    #expect(compiled.outputs[0].shape == [.dynamic("N"), .fixed(8)])
}

@Test func matMulOfIntegersIsRejectedAtCompileTime() {
    #expect(throws: OperatorError.self) {
        try compileNode("MatMul", [.computed(.int64s([1, 2], [1, 2])), .constant(.int64s([2, 1], [1, 2]))])
    }
}

@Test func gemmRejectsMismatchedInnerDimensionsAtCompileTime() {
    #expect(throws: OperatorError.self) {
        try compileNode("Gemm", [.computed(.ramp([2, 3])), .constant(.ramp([4, 5]))])
    }
}
