import SluiceKernels
import SluiceModel
import Testing

@Suite("Linear and preprocessing operators")
struct PreprocessingOperatorTests {
    @Test("match onnxruntime", arguments: preprocessingReferenceCases)
    func matchesOnnxruntime(_ reference: OperatorReferenceCase) throws {
        try reference.check()
    }
}
