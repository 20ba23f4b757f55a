import SluiceKernels
import Testing
@testable import SluicePipeline

/// Which rows of a scored batch have an output that is not a number a prediction can carry.
struct NonFiniteOutputTests {
    let encoder = RecordEncoder(
        context: RecordContext(
            inputTopics: ["events"], predictionTopic: "predictions", auditTopic: "audit",
            model: .init(name: "m", version: "1", sha256: String(repeating: "0", count: 64)), processorInstance: "test", processorVersion: "0"
        ),
        outputNames: ["label", "probabilities"]
    )

    @Test func findsTheFirstNaNOrInfinityOfARowNamingTheOutputAndElement() {
        let labels = Tensor(shape: [3], storage: .int64([0, 1, 0]))
        let probabilities = Tensor(shape: [3, 2], storage: .float([0.4, 0.6, .nan, 0.5, 0.1, -.infinity]))
        let outputs = [labels, probabilities]
        #expect(RecordEncoder.containsNonFinite(outputs))
        #expect(encoder.nonFiniteOutput(row: 0, rows: 3, outputs: outputs) == nil)
        #expect(encoder.nonFiniteOutput(row: 1, rows: 3, outputs: outputs)?.description == "non_finite_output: probabilities[0]: nan is not a finite number")
        #expect(encoder.nonFiniteOutput(row: 2, rows: 3, outputs: outputs)?.description == "non_finite_output: probabilities[1]: -inf is not a finite number")
    }

    @Test func aScalarOutputIsNamedWithoutAnElementAndFiniteBatchesAreRecognisedInOnePass() {
        let scores = Tensor(shape: [2], storage: .double([1.5, .infinity]))
        #expect(encoder.nonFiniteOutput(row: 1, rows: 2, outputs: [scores, scores])?.message == "label: inf is not a finite number")
        #expect(!RecordEncoder.containsNonFinite([Tensor(shape: [2], storage: .float([1, 2])), Tensor(shape: [2], storage: .string(["a", "b"]))]))
    }
}
