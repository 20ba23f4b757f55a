import SluiceKernels
import Testing
@testable import SluiceModel

@Suite struct ModelPredictionTests {
    private let bias: [Float] = [0.5, -1.0, 2.0]

    /// What add-relu.onnx computes: `relu(x + bias) + (x + bias)`.
    private func expected(_ features: [Float]) -> [Float] {
        features.enumerated().map { index, value in
            let shifted = value + bias[index % 3]
            return max(shifted, 0) + shifted
        }
    }

    private func rows(_ count: Int) -> [Float] {
        (0..<(count * 3)).map { Float($0 % 7) - 3.25 }
    }

    @Test(arguments: ["add-relu.onnx", "unsorted.onnx"])
    func predictsTheGraphForEveryBatchSize(_ fixture: String) throws {
        let session = try Model(contentsOf: Fixture.path(fixture), options: TestOperators.options).makeSession()
        for count in [1, 5, 64, 1, 1024] {
            let features = rows(count)
            let outputs = try session.predict(features: features, rows: count)
            #expect(outputs.count == 1)
            #expect(outputs[0].shape == [count, 3])
            #expect(outputs[0].floats == expected(features))
        }
    }

    @Test func aChainThatSharesBuffersComputesEachStepOnTheRightValue() throws {
        let session = try Model(contentsOf: Fixture.path("chain.onnx"), options: TestOperators.options).makeSession()
        let features = rows(4)
        var values = features.enumerated().map { $1 + bias[$0 % 3] }
        for step in 1..<8 {
            values = values.enumerated().map { index, value in step % 2 == 1 ? max(value, 0) : value + bias[index % 3] }
        }
        #expect(try session.predict(features: features, rows: 4)[0].floats == values)
        #expect(try session.predict(features: features, rows: 4)[0].floats == values)
    }

    @Test func outputsHeldByTheCallerSurviveTheNextPrediction() throws {
        let session = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options).makeSession()
        let first = try session.predict(features: [1, 2, 3], rows: 1)
        _ = try session.predict(features: [-9, -9, -9], rows: 1)
        #expect(first[0].floats == expected([1, 2, 3]))
    }

    @Test func tensorInputsPredictLikeFeatureRows() throws {
        let session = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options).makeSession()
        let features = rows(3)
        let outputs = try session.predict([Tensor(shape: [3, 3], floats: features)])
        #expect(outputs[0].floats == expected(features))
    }

    @Test func wrongFeatureCountIsAClearError() throws {
        let session = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options).makeSession()
        let error = #expect(throws: PredictionError.self) { try session.predict(features: [1, 2], rows: 1) }
        #expect(error?.reason == "input 'X' expects 3 features per row (float[N, 3]), got 2")
        let batchError = #expect(throws: PredictionError.self) { try session.predict(features: rows(2) + [1], rows: 2) }
        #expect(batchError?.reason.contains("expects 2 rows × 3 features = 6 values") == true)
    }

    @Test func wrongRankOrTypeOfATensorInputIsAClearError() throws {
        let session = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options).makeSession()
        let rank = #expect(throws: PredictionError.self) { try session.predict([Tensor(shape: [3], floats: [1, 2, 3])]) }
        #expect(rank?.reason == "input 'X' must have rank 2 (float[N, 3]), got shape [3]")
        let width = #expect(throws: PredictionError.self) { try session.predict([Tensor(shape: [1, 4], floats: [1, 2, 3, 4])]) }
        #expect(width?.reason.contains("dimension 1 must be 3") == true)
        let type = #expect(throws: PredictionError.self) { try session.predict([Tensor(shape: [1, 3], int64s: [1, 2, 3])]) }
        #expect(type?.reason == "input 'X' must be float[N, 3], got int64 elements")
        let count = #expect(throws: PredictionError.self) { try session.predict([]) }
        #expect(count?.reason.contains("takes 1 inputs, got 0") == true)
    }

    @Test func nanIsRejectedByAModelWithoutMissingValueHandling() throws {
        let model = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options)
        #expect(!model.acceptsMissingValues)
        let session = model.makeSession()
        let error = #expect(throws: PredictionError.self) {
            try session.predict(features: [1, 2, 3, 4, .nan, 6], rows: 2)
        }
        #expect(error?.reason.hasPrefix("input 'X' row 1 feature 1 is NaN") == true)
        #expect(throws: PredictionError.self) { try session.predict([Tensor(shape: [1, 3], floats: [.nan, 0, 0])]) }
    }

    @Test(arguments: [0, 7, 8, 15, 16, 22])
    func theNaNCheckFindsANaNInEveryLaneAndInTheTail(position: Int) throws {
        var values = [Float](repeating: 1, count: 23)
        #expect(!values.withUnsafeBufferPointer(containsNaN))
        values[position] = .nan
        #expect(values.withUnsafeBufferPointer(containsNaN))
    }

    @Test func nanFlowsThroughWhenTheModelIsToldToAcceptIt() throws {
        var options = TestOperators.options
        options.missingValues = .accept
        let session = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: options).makeSession()
        let outputs = try session.predict(features: [.nan, 0, 0], rows: 1)
        #expect(outputs[0].floats?[0].isNaN == true)
    }

    @Test func aFixedBatchDimensionIsMadeDynamic() throws {
        let model = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options)
        #expect(model.inputs[0].info.shape?.first?.fixedSize == nil)
    }
}
