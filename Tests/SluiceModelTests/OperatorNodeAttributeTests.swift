import Testing
import SluiceModel

private let gemm = OperatorNode(
    name: "dense1", opType: "Gemm", domain: "ai.onnx", inputs: ["x", "w", "b"], outputs: ["y"],
    attributes: ["alpha": .float(0.5), "transB": .int(1)]
)

@Test func typedAttributeLookupsReturnTheValueOrTheDefault() throws {
    #expect(try gemm.float("alpha") == 0.5)
    #expect(try gemm.int("transB") == 1)
    #expect(try gemm.int("transA", default: 0) == 0)
}

@Test func aMissingRequiredAttributeIsNamedInTheError() {
    #expect {
        try gemm.int("axis")
    } throws: { error in
        (error as? OperatorError)?.reason == "required attribute 'axis' is missing"
    }
}

@Test func anAttributeOfTheWrongKindIsNamedInTheError() {
    #expect {
        try gemm.ints("alpha")
    } throws: { error in
        (error as? OperatorError)?.reason == "attribute 'alpha' must be a list of ints"
    }
}
