import Testing
@testable import SluicePipeline

@Suite struct DeadLetterReasonTests {
    @Test func namesEveryClassAsTheSchemaAndTheREADMEDo() {
        #expect(
            DeadLetterReason.Class.allCases.map(\.name)
                == ["invalid_json", "missing_feature", "wrong_type", "wrong_length", "out_of_range", "invalid_wire_format", "unknown_schema", "malformed_payload", "non_finite_output", "output_rejected"]
        )
    }

    @Test func takesADecodingErrorsClassAndMessage() {
        let error = FeatureDecodingError(.outOfRange, path: "amount", offset: 10, detail: "1e39 is beyond the range of a 32-bit float (±3.4028235e38)")
        let reason = DeadLetterReason(error)
        #expect(reason.errorClass == .decoding(.outOfRange) && reason.errorClass.name == "out_of_range")
        #expect(reason.message == error.message)
    }

    @Test func namesTheOutputElementThatIsNotFiniteAndTheTopicThatRefused() {
        #expect(DeadLetterReason.nonFiniteOutput(output: "probabilities", element: 1, value: .nan).message == "probabilities[1]: nan is not a finite number")
        #expect(DeadLetterReason.nonFiniteOutput(output: "variable", element: nil, value: -.infinity).message == "variable: -inf is not a finite number")
        let rejected = DeadLetterReason.outputRejected(topic: "predictions", reason: "Broker: Message size too large")
        #expect(rejected.description == "output_rejected: predictions: Broker: Message size too large")
    }
}
