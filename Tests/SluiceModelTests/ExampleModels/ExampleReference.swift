import Foundation
import Testing

/// One example model with the inputs and outputs onnxruntime computed for it (`Models/references/*.json`,
/// written by `Models/make_models.py`).
struct ExampleReference: CustomTestStringConvertible, Sendable {
    /// The model's name: its file name without `.onnx`.
    var name: String
    var modelURL: URL
    var inputName: String
    /// The input rows; NaN where the reference has `null`.
    var rows: [[Float]]
    /// The outputs in the order onnxruntime lists them.
    var outputs: [ExpectedOutput]

    var testDescription: String { name }
    var columns: Int { rows.first?.count ?? 0 }
    var flatInput: [Float] { rows.flatMap(\.self) }

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
        guard case .string(let model)? = json["model"], let inputs = json["inputs"]?.array, inputs.count == 1,
              case .string(let inputName)? = inputs[0]["name"], let rows = inputs[0]["data"]?.array,
              let outputs = json["outputs"]?.array
        else { throw ReferenceError("\(file.lastPathComponent): expected `model`, one input and outputs") }
        name = file.deletingPathExtension().lastPathComponent
        modelURL = Self.modelsDirectory.appendingPathComponent(model)
        self.inputName = inputName
        self.rows = try rows.map { row in
            try (row.array ?? []).map { value in
                switch value {
                case .number(let number): Float(number)
                case .null: .nan
                default: throw ReferenceError("\(file.lastPathComponent): input values must be numbers or null")
                }
            }
        }
        self.outputs = try outputs.map(ExpectedOutput.init(json:))
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
        selected.rows = indices.map { rows[$0] }
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
