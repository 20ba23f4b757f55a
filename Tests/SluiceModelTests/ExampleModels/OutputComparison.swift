import SluiceKernels

/// How close a float output must come to onnxruntime's: a relative error of at most 1e-5, or an
/// absolute one of at most 1e-6 for values so near zero that float32 rounding dominates.
let relativeTolerance: Float = 1e-5
let absoluteTolerance: Float = 1e-6

func isClose(_ actual: Float, _ expected: Float) -> Bool {
    if expected.isNaN { return actual.isNaN }
    return abs(actual - expected) <= max(relativeTolerance * abs(expected), absoluteTolerance)
}

/// Where `actual` differs from `expected`, one line per difference (at most `limit`); empty when they agree.
///
/// Labels (integers and strings) and map keys must match exactly; floats within ``isClose(_:_:)``.
func differences(of actual: OutputElements, from expected: ExpectedOutput, limit: Int = 5) -> [String] {
    guard actual.count == expected.elements.count else {
        return ["\(expected.name): \(actual.count) elements, expected \(expected.elements.count)"]
    }
    let perRow = max(expected.elementsPerRow, 1)
    func position(_ index: Int) -> String {
        if case .maps = expected.elements { return "row \(index)" }
        return perRow == 1 ? "row \(index)" : "row \(index / perRow), element \(index % perRow)"
    }
    var found: [String] = []
    switch (actual, expected.elements) {
    case (.floats(let actual), .floats(let expectedValues)):
        for index in actual.indices where !isClose(actual[index], expectedValues[index]) {
            found.append("\(expected.name) \(position(index)): \(actual[index]), expected \(expectedValues[index])")
        }
    case (.integers(let actual), .integers(let expectedValues)):
        for index in actual.indices where actual[index] != expectedValues[index] {
            found.append("\(expected.name) \(position(index)): \(actual[index]), expected \(expectedValues[index])")
        }
    case (.strings(let actual), .strings(let expectedValues)):
        for index in actual.indices where actual[index] != expectedValues[index] {
            found.append("\(expected.name) \(position(index)): \"\(actual[index])\", expected \"\(expectedValues[index])\"")
        }
    case (.maps(let actual), .maps(let expectedValues)):
        for index in actual.indices {
            let (row, expectedRow) = (actual[index], expectedValues[index])
            if Set(row.keys) != Set(expectedRow.keys) {
                found.append("\(expected.name) row \(index): keys \(row.keys.sorted()), expected \(expectedRow.keys.sorted())")
            } else if let key = expectedRow.keys.sorted().first(where: { !isClose(row[$0]!, expectedRow[$0]!) }) {
                found.append("\(expected.name) row \(index) key \(key): \(row[key]!), expected \(expectedRow[key]!)")
            }
        }
    default:
        return ["\(expected.name): holds \(actual.kind), expected \(expected.type)"]
    }
    return Array(found.prefix(limit)) + (found.count > limit ? ["\(expected.name): … \(found.count - limit) more"] : [])
}

extension OutputElements {
    /// What the elements are, for messages.
    var kind: String {
        switch self {
        case .floats: "floats"
        case .integers: "integers"
        case .strings: "strings"
        case .maps: "maps"
        }
    }
}

extension OutputElements {
    /// The elements of an output tensor Sluice computed; `mapKeys` for a ZipMap output, whose `[N, C]`
    /// tensor holds one map per row with these keys in column order.
    init(tensor: Tensor, mapKeys: TensorStorage?) throws {
        if let mapKeys {
            let keys: [String] = switch mapKeys {
            case .int64(let values): values.map { "\($0)" }
            case .string(let values): values
            default: throw ReferenceError("map keys must be int64 or string, not \(mapKeys.elementType)")
            }
            guard let values = tensor.floats, tensor.rank == 2, tensor.shape[1] == keys.count else {
                throw ReferenceError("a map output must be a [N, \(keys.count)] float tensor, not \(tensor.elementType) \(tensor.shape)")
            }
            self = .maps(stride(from: 0, to: values.count, by: keys.count).map { start in
                Dictionary(uniqueKeysWithValues: zip(keys, values[start ..< start + keys.count]))
            })
            return
        }
        switch tensor.storage {
        case .float(let values): self = .floats(values)
        case .double(let values): self = .floats(values.map(Float.init))
        case .int64(let values): self = .integers(values)
        case .int32(let values): self = .integers(values.map(Int64.init))
        case .string(let values): self = .strings(values)
        case .bool: throw ReferenceError("no example model has a bool output")
        }
    }
}
