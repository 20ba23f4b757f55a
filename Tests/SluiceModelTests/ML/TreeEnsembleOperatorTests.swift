import SluiceKernels
import SluiceModel
import Testing

@Suite("Tree-ensemble operators")
struct TreeEnsembleOperatorTests {
    @Test("match onnxruntime on random ensembles of every mode, aggregate, post-transform and label kind",
          arguments: treeEnsembleReferenceCases)
    func matchesOnnxruntime(_ reference: OperatorReferenceCase) throws {
        try reference.check()
    }
}
