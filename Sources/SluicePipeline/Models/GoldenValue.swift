import Foundation
import SluiceKernels
import SluiceModel

/// One element of a model's input or output row as a golden file writes it: a JSON number (booleans
/// count as 0 and 1), a string, or `null` for a number JSON cannot hold (NaN, an infinity) and, in
/// inputs, for a missing value.
public enum GoldenValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case null

    public var description: String {
        switch self {
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .null: "null"
        }
    }

    /// The value as `JSONSerialization` writes it.
    var json: Any {
        switch self {
        case .number(let value): value
        case .string(let value): value
        case .null: NSNull()
        }
    }

    /// Reads a JSON value parsed by `JSONSerialization`, flattening nested arrays into `values`.
    static func flatten(_ json: Any, into values: inout [GoldenValue]) throws(GoldenFileError.Reason) {
        switch json {
        case let array as [Any]:
            for element in array { try flatten(element, into: &values) }
        case let string as String:
            values.append(.string(string))
        case let number as NSNumber:
            values.append(.number(number.doubleValue))
        case is NSNull:
            values.append(.null)
        default:
            throw GoldenFileError.Reason("expected numbers, strings or arrays of them, got \(type(of: json))")
        }
    }

    /// Element `index` of `storage`; a non-finite number is `.null`, as JSON has no such number.
    init(_ storage: TensorStorage, at index: Int) {
        func number(_ value: Double) -> GoldenValue { value.isFinite ? .number(value) : .null }
        switch storage {
        case .float(let values): self = number(Double(values[index]))
        case .double(let values): self = number(values[index])
        case .int64(let values): self = .number(Double(values[index]))
        case .int32(let values): self = .number(Double(values[index]))
        case .bool(let values): self = .number(values[index] ? 1 : 0)
        case .string(let values): self = .string(values[index])
        }
    }

    /// Whether `actual` reproduces this expected value: numbers within `tolerance` of it, relative
    /// to its magnitude above 1 and absolute below, anything else equal.
    func isReproduced(by actual: GoldenValue, tolerance: Double) -> Bool {
        guard case .number(let expected) = self, case .number(let value) = actual else { return self == actual }
        return abs(value - expected) <= tolerance * max(1, abs(expected))
    }
}

/// One output's values for one row: its elements in row-major order, or for a ZipMap output
/// (a probability per class label) the values by label.
public enum GoldenOutput: Sendable, Hashable {
    case values([GoldenValue])
    case map([String: GoldenValue])

    /// Row `row` of `tensor`, an output of a batch of `rows` rows described by `output`.
    init(row: Int, rows: Int, of tensor: Tensor, output: ModelValue) {
        // An output not shaped by the batch (a constant, say) is the same for every row.
        let batched = tensor.rank >= 1 && tensor.shape[0] == rows
        let width = batched ? tensor.shape.dropFirst().reduce(1, *) : tensor.count
        let start = batched ? row * width : 0
        if let keys = output.info.mapKeys {
            var map: [String: GoldenValue] = [:]
            for column in 0..<min(width, keys.count) {
                let label = switch GoldenValue(keys, at: column) {
                case .string(let label): label
                case .number(let label): String(Int64(label))
                case .null: String(column)
                }
                map[label] = GoldenValue(tensor.storage, at: start + column)
            }
            self = .map(map)
        } else {
            self = .values((start..<start + width).map { GoldenValue(tensor.storage, at: $0) })
        }
    }

    /// Reads an output's expected values: an object is a ZipMap's values by label, anything else
    /// is flattened.
    init(json: Any) throws(GoldenFileError.Reason) {
        if let object = json as? [String: Any] {
            var map: [String: GoldenValue] = [:]
            for (label, value) in object {
                var values: [GoldenValue] = []
                try GoldenValue.flatten(value, into: &values)
                guard values.count == 1 else { throw GoldenFileError.Reason("label '\(label)' must have one value") }
                map[label] = values[0]
            }
            self = .map(map)
        } else {
            var values: [GoldenValue] = []
            try GoldenValue.flatten(json, into: &values)
            self = .values(values)
        }
    }

    /// The output as a golden file writes it: a scalar for a single element, else a flat array,
    /// or an object by label.
    var json: Any {
        switch self {
        case .values(let values): values.count == 1 ? values[0].json : values.map(\.json)
        case .map(let map): map.mapValues(\.json)
        }
    }
}
