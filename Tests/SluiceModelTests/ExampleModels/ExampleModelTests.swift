import SluiceKernels
import SluiceModel
import Testing

/// Every example model in `Models/` loads, and Sluice's predictions agree with onnxruntime's
/// reference outputs: floats within ``relativeTolerance``, labels and map keys exactly.
@Suite struct ExampleModelTests {
    @Test(arguments: try ExampleReference.all())
    func predictionsMatchOnnxRuntime(_ reference: ExampleReference) throws {
        let model = try Model(contentsOf: reference.modelURL.path)
        #expect(model.inputs.map(\.name) == reference.inputs.map(\.name))
        try #require(model.outputs.map(\.name) == reference.outputs.map(\.name))
        try expectMatch(model, reference)
    }

    /// Batch size 1 takes other kernel paths (matrix-vector products, no blocking) than a batch.
    @Test(arguments: try ExampleReference.all())
    func singleRowPredictionsMatchOnnxRuntime(_ reference: ExampleReference) throws {
        let model = try Model(contentsOf: reference.modelURL.path)
        for row in 0..<reference.rowCount {
            try expectMatch(model, reference.selecting(rows: [row]), label: "row \(row) alone")
        }
    }

    /// A large batch of an odd size runs the blocked kernels with remainders in every direction, and
    /// must give each row the same result as onnxruntime gave it in a batch of 20.
    @Test(arguments: try ExampleReference.all())
    func largeBatchPredictionsMatchOnnxRuntime(_ reference: ExampleReference) throws {
        let model = try Model(contentsOf: reference.modelURL.path)
        let rows = (0 ..< 257).map { ($0 * 7) % reference.rowCount }
        try expectMatch(model, reference.selecting(rows: rows), label: "batch of 257")
    }

    private func expectMatch(_ model: Model, _ reference: ExampleReference, label: String = "",
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let session = model.makeSession()
        let outputs = try reference.hasSingleFloatInput
            ? session.predict(features: reference.flatInput, rows: reference.rowCount)
            : session.predict(reference.tensors)
        try #require(outputs.count == reference.outputs.count, sourceLocation: sourceLocation)
        for (value, (tensor, expected)) in zip(model.outputs, zip(outputs, reference.outputs)) {
            let expectedShape = value.info.mapKeys.map { [reference.rowCount, $0.count] } ?? expected.shape
            #expect(tensor.shape == expectedShape, "\(reference.name) \(label) \(expected.name): shape",
                    sourceLocation: sourceLocation)
            let actual = try OutputElements(tensor: tensor, mapKeys: value.info.mapKeys)
            let found = differences(of: actual, from: expected)
            #expect(found.isEmpty, "\(reference.name) \(label):\n\(found.joined(separator: "\n"))",
                    sourceLocation: sourceLocation)
        }
    }
}
