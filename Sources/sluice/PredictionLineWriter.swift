import SluiceKernels
import SluiceModel
import SluicePipeline

/// Encodes `sluice score` output lines into a reused buffer: `{"outputs":{…}}` with each output's
/// row value as prediction records write it (``OutputEncoding``), or `{"error":"…"}`.
struct PredictionLineWriter {
    private(set) var buffer = JSONBuffer()
    private let encoding: OutputEncoding
    /// `{"outputs":{"name":` and `,"name":` prefixes, encoded once.
    private let keys: [[UInt8]]

    init(outputs: [ModelValue]) {
        encoding = OutputEncoding(outputs: outputs)
        keys = outputs.enumerated().map { index, output in
            var key = JSONBuffer()
            if index == 0 { key.append(raw: #"{"outputs":{"#) } else { key.append(raw: ",") }
            key.append(string: output.name)
            key.append(raw: ":")
            return key.bytes
        }
    }

    var bytes: [UInt8] { buffer.bytes }

    mutating func removeAll() { buffer.reset() }

    mutating func appendError(_ message: String) {
        buffer.append(raw: #"{"error":"#)
        buffer.append(string: message)
        buffer.append(raw: "}\n")
    }

    /// Appends the line for row `row` of a batch of `rows` rows.
    mutating func appendPrediction(row: Int, rows: Int, of tensors: [Tensor]) {
        for (index, tensor) in tensors.enumerated() {
            buffer.append(raw: keys[index])
            encoding.append(row: row, rows: rows, output: index, tensor, to: &buffer)
        }
        buffer.append(raw: tensors.isEmpty ? "{\"outputs\":{}}\n" : "}}\n")
    }
}
