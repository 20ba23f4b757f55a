import Foundation
import SluiceKernels
import Testing

/// One example model with the inputs and outputs onnxruntime computed for it (`Models/references/*.json`,
/// written by `Models/make_models.py`).
struct ExampleReference: CustomTestStringConvertible, Sendable {
    /// The model's name: its file name without `.onnx`.
    var name: String
    var modelURL: URL
    /// The model's inputs with their rows, in the model's order.
    var inputs: [ReferenceInput]
    /// The outputs in the order onnxruntime lists them.
    var outputs: [ExpectedOutput]

    var testDescription: String { name }
    /// The number of input rows.
    var rowCount: Int { inputs.first?.rowCount ?? 0 }
    /// Whether the model takes one float input: the `features` forms of prediction and `score`.
    var hasSingleFloatInput: Bool { inputs.count == 1 && inputs[0].floats != nil }
    /// The single float input's values, row after row.
    var flatInput: [Float] { inputs[0].floats ?? [] }

    /// The folder with the example models, found from this file's place in the repository.
    static let modelsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models")

    /// Every reference in `Models/references`, sorted by name.
    static func all() throws -> [ExampleReference] {
        let folder = modelsDirectory.appendingPathComponent("references")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map(ExampleReference.init(file:))
    }

    init(file: URL) throws {
        let json = try JSONValue.parse(Data(contentsOf: file))
        guard case .string(let model)? = json["model"], let inputs = json["inputs"]?.array, !inputs.isEmpty,
              let outputs = json["outputs"]?.array
        else { throw ReferenceError("\(file.lastPathComponent): expected `model`, inputs and outputs") }
        name = file.deletingPathExtension().lastPathComponent
        modelURL = Self.modelsDirectory.appendingPathComponent(model)
        self.inputs = try inputs.map { try ReferenceInput(json: $0, file: file.lastPathComponent) }
        self.outputs = try outputs.map(ExpectedOutput.init(json:))
    }

    /// One tensor per input, in the model's order.
    var tensors: [Tensor] { inputs.map(\.tensor) }

    /// The rows as `sluice score` lines: `{"features":[…]}` for a single float input, otherwise an
    /// event object with each input in the field of its name (a scalar for one value per row).
    var scoreLines: String {
        (0..<rowCount).map { row in
            if hasSingleFloatInput { return "{\"features\":[" + inputs[0].jsonValues(row: row).joined(separator: ",") + "]}\n" }
            let fields = inputs.map { input in
                let values = input.jsonValues(row: row)
                return "\"\(input.name)\":" + (input.width == 1 ? values[0] : "[" + values.joined(separator: ",") + "]")
            }
            return "{" + fields.joined(separator: ",") + "}\n"
        }.joined()
    }
}

/// One input of an ``ExampleReference``: its name and rows of floats (NaN for `null`) or strings.
struct ReferenceInput: Sendable {
    var name: String
    /// The input's shape; the first dimension is the rows.
    var shape: [Int]
    var floats: [Float]?
    var strings: [String]?

    var rowCount: Int { shape.first ?? 0 }
    var width: Int { shape.dropFirst().reduce(1, *) }

    init(json: JSONValue, file: String) throws {
        guard case .string(let name)? = json["name"], case .string(let type)? = json["type"],
              let shape = json["shape"]?.array, let data = json["data"]
        else { throw ReferenceError("\(file): an input needs name, type, shape and data") }
        self.name = name
        self.shape = shape.map { if case .number(let size) = $0 { Int(size) } else { -1 } }
        switch type {
        case "float":
            floats = try data.leaves.map { value in
                switch value {
                case .number(let number): Float(number)
                case .null: .nan
                default: throw ReferenceError("\(file): input \(name) values must be numbers or null")
                }
            }
        case "string":
            strings = try data.leaves.map { value in
                guard case .string(let text) = value else { throw ReferenceError("\(file): input \(name) values must be strings") }
                return text
            }
        default:
            throw ReferenceError("\(file): input \(name) has unsupported type \(type)")
        }
    }

    var tensor: Tensor {
        if let floats { return Tensor(shape: shape, floats: floats) }
        return Tensor(shape: shape, strings: strings ?? [])
    }

    /// Row `row`'s values as JSON text.
    func jsonValues(row: Int) -> [String] {
        let range = (row * width)..<((row + 1) * width)
        if let floats { return floats[range].map { $0.isNaN ? "null" : "\(Double($0))" } }
        return (strings ?? [])[range].map { "\"\($0)\"" }
    }

    func selecting(rows indices: [Int]) -> ReferenceInput {
        var selected = self
        selected.shape[0] = indices.count
        selected.floats = floats.map { values in indices.flatMap { values[($0 * width)..<(($0 + 1) * width)] } }
        selected.strings = strings.map { values in indices.flatMap { values[($0 * width)..<(($0 + 1) * width)] } }
        return selected
    }
}

/// One output of an ``ExampleReference``: its ONNX type, onnxruntime's shape and elements.
struct ExpectedOutput: Sendable {
    var name: String
    /// `float`, `int64`, `string`, or `map(K,float)` for ZipMap's sequence of maps.
    var type: String
    var shape: [Int]
    var elements: OutputElements

    init(json: JSONValue) throws {
        guard case .string(let name)? = json["name"], case .string(let type)? = json["type"],
              let shape = json["shape"]?.array, let data = json["data"]
        else { throw ReferenceError("an output needs name, type, shape and data") }
        self.name = name
        self.type = type
        self.shape = shape.map { if case .number(let size) = $0 { Int(size) } else { -1 } }
        elements = try OutputElements(type: type, leaves: data.leaves, output: name)
    }

    /// The number of elements each row (each index of the first dimension) holds.
    var elementsPerRow: Int { shape.dropFirst().reduce(1, *) }
}

/// An output's elements, row-major, in a form both the library's tensors and `sluice score` lines convert to.
enum OutputElements: Equatable, Sendable {
    /// Floats; NaN stands for JSON `null`.
    case floats([Float])
    case integers([Int64])
    case strings([String])
    /// One map per row, keys rendered as strings.
    case maps([[String: Float]])

    init(type: String, leaves: [JSONValue], output: String) throws {
        func fail() -> ReferenceError { ReferenceError("output \(output): an element does not fit type \(type)") }
        switch type {
        case "float", "double":
            self = .floats(try leaves.map {
                switch $0 {
                case .number(let number): Float(number)
                case .null: .nan
                default: throw fail()
                }
            })
        case "int64", "int32":
            self = .integers(try leaves.map { if case .number(let number) = $0 { Int64(number) } else { throw fail() } })
        case "string":
            self = .strings(try leaves.map { if case .string(let text) = $0 { text } else { throw fail() } })
        case _ where type.hasPrefix("map("):
            self = .maps(try leaves.map { leaf in
                try (leaf.object ?? [:]).mapValues { if case .number(let number) = $0 { Float(number) } else { throw fail() } }
            })
        default:
            throw ReferenceError("output \(output): unknown type \(type)")
        }
    }

    var count: Int {
        switch self {
        case .floats(let values): values.count
        case .integers(let values): values.count
        case .strings(let values): values.count
        case .maps(let values): values.count
        }
    }
}

struct ReferenceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ExampleReference {
    /// The reference restricted to the rows at `indices` (repeats allowed), in that order: what the
    /// model must output for a batch made of those rows.
    func selecting(rows indices: [Int]) -> ExampleReference {
        var selected = self
        selected.inputs = inputs.map { $0.selecting(rows: indices) }
        selected.outputs = outputs.map { $0.selecting(rows: indices) }
        return selected
    }
}

extension ExpectedOutput {
    func selecting(rows indices: [Int]) -> ExpectedOutput {
        var selected = self
        selected.shape[0] = indices.count
        let width = elementsPerRow
        func pick<Element>(_ values: [Element], width: Int) -> [Element] {
            indices.flatMap { values[$0 * width ..< ($0 + 1) * width] }
        }
        selected.elements = switch elements {
        case .floats(let values): .floats(pick(values, width: width))
        case .integers(let values): .integers(pick(values, width: width))
        case .strings(let values): .strings(pick(values, width: width))
        case .maps(let values): .maps(pick(values, width: 1))
        }
        return selected
    }
}
