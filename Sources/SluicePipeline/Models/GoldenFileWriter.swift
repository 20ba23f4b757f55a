import Foundation
import SluiceKernels
import SluiceModel

/// Writes a golden file from a trusted model: each input line scored, and written back with the
/// model's outputs (`sluice model golden`).
public struct GoldenFileWriter {
    public let model: Model
    private let session: ModelSession

    public init(model: Model) {
        self.model = model
        session = model.makeSession()
    }

    /// The golden line for input line `text` (number `line`, from 1): its inputs by name and
    /// every output of the model, keys sorted so that the same model writes the same file.
    ///
    /// - Throws: ``GoldenFileError`` when the line is not an input row of the model, or the model
    ///   cannot score it.
    public func goldenLine(for text: Substring, line: Int) throws(GoldenFileError) -> String {
        let input = try GoldenCase(parsing: text, line: line, inputNames: model.inputs.map(\.name))
        let tensors = try input.tensors(for: model)
        let outputs: [Tensor]
        do {
            outputs = try session.predict(tensors)
        } catch {
            throw GoldenFileError(line: line, reason: .init("the model cannot score it: \(error)"))
        }
        var expected: [String: Any] = [:]
        for (index, output) in model.outputs.enumerated() {
            expected[output.name] = GoldenOutput(row: 0, rows: 1, of: outputs[index], output: output).json
        }
        let inputs = input.inputs.mapValues { $0.map(\.json) }
        do {
            let data = try JSONSerialization.data(withJSONObject: ["inputs": inputs, "outputs": expected], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw GoldenFileError(line: line, reason: .init("cannot write its outputs as JSON: \(error)"))
        }
    }
}
