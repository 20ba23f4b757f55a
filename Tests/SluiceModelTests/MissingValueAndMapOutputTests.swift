import SluiceKernels
import Testing
@testable import SluiceModel

/// Behaviour that needs Sluice's real ML operators (ZipMap, TreeEnsembleRegressor).
@Suite(.enabled(if: StandardOperators.haveMachineLearning, "needs the ai.onnx.ml operators in OperatorRegistry.standard"))
struct MissingValueAndMapOutputTests {
    @Test func zipMapOutputIsTheProbabilityMatrixWithItsLabelsAsMapKeys() throws {
        let model = try Model(contentsOf: Fixture.path("zipmap.onnx"))
        #expect(model.outputs.map(\.name) == ["Z"])
        #expect(model.outputs[0].info.mapKeys?.int64Values == [4, 7])
        #expect(model.outputs[0].info.typeDescription.hasPrefix("map(int64 → float)"))
        let outputs = try model.makeSession().predict(features: [0.25, 0.75, 0.5, 0.5], rows: 2)
        #expect(outputs[0].shape == [2, 2])
        #expect(outputs[0].floats == [0.25, 0.75, 0.5, 0.5])
    }

    @Test func aTreeModelAcceptsNaNAndRoutesItDownTheMissingValueBranch() throws {
        let model = try Model(contentsOf: Fixture.path("tree-missing.onnx"))
        #expect(model.acceptsMissingValues)
        let outputs = try model.makeSession().predict(features: [.nan, 0, 0, 0, 1, 0], rows: 3)
        #expect(outputs[0].floats == [1, 1, 2])
    }

    @Test func rejectingNaNCanBeForcedEvenForATreeModel() throws {
        let model = try Model(contentsOf: Fixture.path("tree-missing.onnx"), options: ModelOptions(missingValues: .reject))
        #expect(throws: PredictionError.self) { try model.makeSession().predict(features: [.nan, 0], rows: 1) }
    }
}

enum StandardOperators {
    static let haveMachineLearning = OperatorRegistry.standard.definition(domain: "ai.onnx.ml", opType: "ZipMap", opset: 1) != nil
        && OperatorRegistry.standard.definition(domain: "ai.onnx.ml", opType: "TreeEnsembleRegressor", opset: 3) != nil
    static let haveDense = OperatorRegistry.standard.definition(domain: "ai.onnx", opType: "Add", opset: 17) != nil
        && OperatorRegistry.standard.definition(domain: "ai.onnx", opType: "Relu", opset: 17) != nil
}

extension TensorStorage {
    var int64Values: [Int64]? {
        if case .int64(let values) = self { return values }
        return nil
    }
}
