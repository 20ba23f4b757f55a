import SluiceKernels
import SluiceModel
import SluicePipeline

/// Encodes `sluice score` output lines into a reused byte buffer.
///
/// A row's value of each output is its slice of the output tensor: a scalar when the slice is one
/// element, nested arrays otherwise, and an object keyed by label for ZipMap outputs. Floats are
/// written in their shortest round-tripping form; NaN and infinities, which JSON cannot express,
/// are written as `null`.
struct PredictionLineWriter {
    private(set) var bytes: [UInt8] = []
    private let outputs: [ModelValue]
    /// `"outputs":{"name":` prefixes, encoded once.
    private let keys: [[UInt8]]

    init(outputs: [ModelValue]) {
        self.outputs = outputs
        var keys: [[UInt8]] = []
        for (index, output) in outputs.enumerated() {
            var key: [UInt8] = Array((index == 0 ? "{\"outputs\":{" : ",").utf8)
            JSONString.appendQuoted(output.name, to: &key)
            key.append(UInt8(ascii: ":"))
            keys.append(key)
        }
        self.keys = keys
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func appendError(_ message: String) {
        bytes.append(contentsOf: "{\"error\":".utf8)
        JSONString.appendQuoted(message, to: &bytes)
        bytes.append(contentsOf: "}\n".utf8)
    }

    /// Appends the line for row `row` of a batch of `rows` rows.
    mutating func appendPrediction(row: Int, rows: Int, of tensors: [Tensor]) {
        for (index, tensor) in tensors.enumerated() {
            bytes.append(contentsOf: keys[index])
            // Outputs not shaped by the batch (a constant, say) are the same for every row.
            let batched = tensor.rank >= 1 && tensor.shape[0] == rows
            let rowShape = batched ? Array(tensor.shape.dropFirst()) : tensor.shape
            let width = rowShape.reduce(1, *)
            let start = batched ? row * width : 0
            if let keys = outputs[index].info.mapKeys {
                appendMap(keys: keys, tensor: tensor, start: start, width: width)
            } else if width == 1 {
                appendElement(tensor.storage, at: start)
            } else {
                appendNested(tensor.storage, shape: rowShape[...], start: start)
            }
        }
        bytes.append(contentsOf: (tensors.isEmpty ? "{\"outputs\":{}}\n" : "}}\n").utf8)
    }

    private mutating func appendNested(_ storage: TensorStorage, shape: ArraySlice<Int>, start: Int) {
        guard let size = shape.first else {
            appendElement(storage, at: start)
            return
        }
        let stride = shape.dropFirst().reduce(1, *)
        bytes.append(UInt8(ascii: "["))
        for item in 0..<size {
            if item > 0 { bytes.append(UInt8(ascii: ",")) }
            appendNested(storage, shape: shape.dropFirst(), start: start + item * stride)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func appendMap(keys: TensorStorage, tensor: Tensor, start: Int, width: Int) {
        bytes.append(UInt8(ascii: "{"))
        for column in 0..<min(width, keys.count) {
            if column > 0 { bytes.append(UInt8(ascii: ",")) }
            switch keys {
            case .string(let labels): JSONString.appendQuoted(labels[column], to: &bytes)
            case .int64(let labels): JSONString.appendQuoted(String(labels[column]), to: &bytes)
            case .int32(let labels): JSONString.appendQuoted(String(labels[column]), to: &bytes)
            default: JSONString.appendQuoted(String(column), to: &bytes)
            }
            bytes.append(UInt8(ascii: ":"))
            appendElement(tensor.storage, at: start + column)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendElement(_ storage: TensorStorage, at index: Int) {
        switch storage {
        case .float(let values): appendNumber(values[index])
        case .double(let values): appendNumber(values[index])
        case .int64(let values): bytes.append(contentsOf: String(values[index]).utf8)
        case .int32(let values): bytes.append(contentsOf: String(values[index]).utf8)
        case .bool(let values): bytes.append(contentsOf: (values[index] ? "true" : "false").utf8)
        case .string(let values): JSONString.appendQuoted(values[index], to: &bytes)
        }
    }

    private mutating func appendNumber<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) {
        guard value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }
}
