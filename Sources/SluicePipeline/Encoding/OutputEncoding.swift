import SluiceKernels
import SluiceModel

/// How one row's value of each model output is written as JSON: the one encoding of model outputs,
/// shared by prediction records and `sluice score`.
///
/// A row's value is its slice of the output tensor (the first dimension is the batch; an output
/// not shaped by the batch, a constant say, is the same for every row): a scalar when the slice is
/// one element, nested arrays otherwise, and an object keyed by class label for a ZipMap output
/// (`{"0": 0.1, "1": 0.9}`: probabilities by label, as onnxruntime's ZipMap gives them). Floats
/// are written in their shortest round-tripping form; NaN and infinities, which JSON cannot
/// express, as `null`.
public struct OutputEncoding: Sendable {
    /// The outputs' names, in the order their tensors are passed.
    public let names: [String]
    /// Per output, `"label":` fragments of a ZipMap output's labels, escaped once; `nil` otherwise.
    private let labelFragments: [[[UInt8]]?]

    public init(outputs: [ModelValue]) {
        names = outputs.map(\.name)
        labelFragments = outputs.map { output in
            output.info.mapKeys.map { keys in
                (0..<keys.count).map { (column) -> [UInt8] in
                    var buffer = JSONBuffer()
                    switch keys {
                    case .string(let labels): buffer.append(string: labels[column])
                    case .int64(let labels): buffer.append(string: String(labels[column]))
                    case .int32(let labels): buffer.append(string: String(labels[column]))
                    default: buffer.append(string: String(column))
                    }
                    buffer.append(raw: ":")
                    return buffer.bytes
                }
            }
        }
    }

    /// Outputs known only by name: none is written as a map.
    public init(names: [String]) {
        self.names = names
        labelFragments = names.map { _ in nil }
    }

    /// Appends row `row`'s value of output `index` (`tensor`) from a batch of `rows` rows.
    public func append(row: Int, rows: Int, output index: Int, _ tensor: Tensor, to buffer: inout JSONBuffer) {
        let batched = tensor.rank >= 1 && tensor.shape[0] == rows
        let rowShape = batched ? tensor.shape.dropFirst() : tensor.shape[...]
        let width = rowShape.reduce(1, *)
        let start = batched ? row * width : 0
        if let labels = labelFragments[index] {
            buffer.append(raw: "{")
            for column in 0..<min(width, labels.count) {
                if column > 0 { buffer.append(raw: ",") }
                buffer.append(raw: labels[column])
                Self.append(tensor.storage, at: start + column, to: &buffer)
            }
            buffer.append(raw: "}")
        } else if width == 1 {
            Self.append(tensor.storage, at: start, to: &buffer)
        } else {
            Self.appendNested(tensor.storage, shape: rowShape, start: start, to: &buffer)
        }
    }

    private static func appendNested(_ storage: TensorStorage, shape: ArraySlice<Int>, start: Int, to buffer: inout JSONBuffer) {
        guard let size = shape.first else { return append(storage, at: start, to: &buffer) }
        let stride = shape.dropFirst().reduce(1, *)
        buffer.append(raw: "[")
        for item in 0..<size {
            if item > 0 { buffer.append(raw: ",") }
            appendNested(storage, shape: shape.dropFirst(), start: start + item * stride, to: &buffer)
        }
        buffer.append(raw: "]")
    }

    private static func append(_ storage: TensorStorage, at index: Int, to buffer: inout JSONBuffer) {
        switch storage {
        case .float(let values): buffer.append(values[index])
        case .double(let values): buffer.append(values[index])
        case .int64(let values): buffer.append(values[index])
        case .int32(let values): buffer.append(Int64(values[index]))
        case .bool(let values): buffer.append(values[index])
        case .string(let values): buffer.append(string: values[index])
        }
    }
}
