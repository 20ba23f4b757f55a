import SluiceKernels
import SluiceModel
import Testing
@testable import SluicePipeline

/// The one encoding of model outputs, as prediction records (and `sluice score`) write them.
@Suite struct OutputEncodingTests {
    let fixture = EncodingFixture()

    private func encode(_ outputs: [ModelValue], _ tensors: [Tensor], row: Int) -> String {
        let encoder = RecordEncoder(context: fixture.encoder.context, outputs: outputs)
        var id = JSONBuffer()
        encoder.writePredictionID(row: row, of: fixture.batch, into: &id)
        var value = JSONBuffer()
        encoder.encodePrediction(row: row, of: fixture.batch, predictionID: id, outputs: tensors, into: &value)
        let text = String(decoding: value.bytes, as: UTF8.self)
        return String(text[text.range(of: #""outputs":"#)!.upperBound...].dropLast())
    }

    private func value(_ name: String, _ shape: [Dimension], _ type: ElementType = .float, labels: TensorStorage? = nil) -> ModelValue {
        ModelValue(name: name, info: ValueInfo(elementType: type, shape: shape, mapKeys: labels))
    }

    @Test func zipMapProbabilitiesAreKeyedByClassLabel() {
        let outputs = [
            value("label", [.dynamic(nil)], .string),
            value("probability", [.dynamic(nil), .fixed(2)], labels: .string(["fraud", "le\"git"])),
            value("by_number", [.dynamic(nil), .fixed(2)], labels: .int64([0, 7])),
        ]
        let tensors = [
            Tensor(shape: [2], strings: ["fraud", "le\"git"]),
            Tensor(shape: [2, 2], floats: [0.75, 0.25, 0.5, 0.5]),
            Tensor(shape: [2, 2], floats: [0.125, 0.875, 1, 0]),
        ]
        #expect(encode(outputs, tensors, row: 1) == #"{"label":"le\"git","probability":{"fraud":0.5,"le\"git":0.5},"by_number":{"0":1.0,"7":0.0}}"#)
    }

    @Test func aRowsSingleElementIsAValueAndLargerSlicesAreNestedArrays() {
        let outputs = [value("score", [.dynamic(nil), .fixed(1)]), value("grid", [.dynamic(nil), .fixed(2), .fixed(2)], .int64)]
        let tensors = [Tensor(shape: [2, 1], floats: [0.5, .nan]), Tensor(shape: [2, 2, 2], int64s: [1, 2, 3, 4, 5, 6, 7, 8])]
        #expect(encode(outputs, tensors, row: 1) == #"{"score":null,"grid":[[5,6],[7,8]]}"#)
    }
}
