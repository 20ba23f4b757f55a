import Foundation
import SluiceKernels
import SluiceModel

/// One line of a golden file: a row of a model's inputs and, once written from a trusted model,
/// the outputs every model that takes its place must reproduce.
///
/// The line is `{"inputs":{"<input>":[…], …},"outputs":{"<output>":…, …}}`: inputs by the model's
/// input names (nested arrays are read row-major, `null` is a missing value), outputs as
/// ``GoldenOutput``. For a model with a single input, an input line may instead be
/// `{"features":[…]}` or a bare array, the lines `sluice score` reads.
public struct GoldenCase: Sendable {
    /// The line's number in its file, from 1.
    public var line: Int
    /// Per input name, the row's values in row-major order.
    public var inputs: [String: [GoldenValue]]
    /// Per output name, what the model must produce; empty on an input line.
    public var outputs: [String: GoldenOutput]

    public init(line: Int, inputs: [String: [GoldenValue]], outputs: [String: GoldenOutput]) {
        self.line = line
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Reads one line for a model whose inputs are named `inputNames`.
    public init(parsing text: Substring, line: Int, inputNames: [String]) throws(GoldenFileError) {
        self.line = line
        do throws(GoldenFileError.Reason) {
            let json = try Self.json(text)
            if let object = json as? [String: Any] {
                inputs = try Self.inputs(of: object, inputNames: inputNames)
                outputs = [:]
                if let expected = object["outputs"] {
                    guard let expected = expected as? [String: Any] else { throw GoldenFileError.Reason("'outputs' must be an object") }
                    for (name, value) in expected { outputs[name] = try GoldenOutput(json: value) }
                }
            } else {
                guard inputNames.count == 1 else {
                    throw GoldenFileError.Reason("a bare array is a row of a single-input model's only input; give \"inputs\" by name")
                }
                var values: [GoldenValue] = []
                try GoldenValue.flatten(json, into: &values)
                inputs = [inputNames[0]: values]
                outputs = [:]
            }
        } catch {
            throw GoldenFileError(line: line, reason: error)
        }
    }

    private static func json(_ text: Substring) throws(GoldenFileError.Reason) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw GoldenFileError.Reason("not JSON: \(error.localizedDescription)")
        }
    }

    private static func inputs(of object: [String: Any], inputNames: [String]) throws(GoldenFileError.Reason) -> [String: [GoldenValue]] {
        var inputs: [String: [GoldenValue]] = [:]
        if let named = object["inputs"] {
            guard let named = named as? [String: Any] else { throw GoldenFileError.Reason("'inputs' must be an object by input name") }
            for (name, value) in named {
                var values: [GoldenValue] = []
                try GoldenValue.flatten(value, into: &values)
                inputs[name] = values
            }
        } else if let features = object["features"] {
            guard inputNames.count == 1 else {
                throw GoldenFileError.Reason("'features' is a row of a single-input model's only input; give \"inputs\" by name")
            }
            var values: [GoldenValue] = []
            try GoldenValue.flatten(features, into: &values)
            inputs[inputNames[0]] = values
        } else {
            throw GoldenFileError.Reason("expected \"inputs\" (by input name) or \"features\"")
        }
        return inputs
    }

    /// One tensor per input of `model`, in its order, each a batch of this row.
    ///
    /// - Throws: ``GoldenFileError`` when an input is missing, or its values do not fit its type
    ///   or shape.
    public func tensors(for model: Model) throws(GoldenFileError) -> [Tensor] {
        var tensors: [Tensor] = []
        for input in model.inputs {
            guard let values = inputs[input.name] else {
                throw GoldenFileError(line: line, reason: .init("no values for input '\(input.name)' (\(input.info.typeDescription))"))
            }
            do {
                tensors.append(try Self.tensor(values, for: input))
            } catch {
                throw GoldenFileError(line: line, reason: error)
            }
        }
        return tensors
    }

    private static func tensor(_ values: [GoldenValue], for input: ModelValue) throws(GoldenFileError.Reason) -> Tensor {
        let rowShape = input.info.shape.map { Array($0.dropFirst()) } ?? [.dynamic(nil)]
        let fixed = rowShape.reduce(1) { $0 * ($1.fixedSize ?? 1) }
        guard fixed > 0, values.count % fixed == 0, rowShape.contains(where: { $0.fixedSize == nil }) || values.count == fixed else {
            throw GoldenFileError.Reason("input '\(input.name)' is \(input.info.typeDescription): \(values.count) values do not make a row")
        }
        var free = rowShape.contains(where: { $0.fixedSize == nil }) ? values.count / fixed : 1
        let shape = [1] + rowShape.map { dimension in
            guard let size = dimension.fixedSize else {
                defer { free = 1 }
                return free
            }
            return size
        }
        func number(_ value: GoldenValue) throws(GoldenFileError.Reason) -> Double {
            switch value {
            case .number(let number): return number
            case .null: return .nan
            case .string(let string): throw GoldenFileError.Reason("input '\(input.name)' takes numbers, got \"\(string)\"")
            }
        }
        var numbers: [Double] = []
        if input.info.elementType != .string {
            for value in values { numbers.append(try number(value)) }
        }
        switch input.info.elementType {
        case .float: return Tensor(shape: shape, floats: numbers.map(Float.init))
        case .double: return Tensor(shape: shape, doubles: numbers)
        case .int64: return Tensor(shape: shape, int64s: try numbers.map { value throws(GoldenFileError.Reason) in try integer(value, input) })
        case .int32: return Tensor(shape: shape, int32s: try numbers.map { value throws(GoldenFileError.Reason) in Int32(try integer(value, input)) })
        case .bool: return Tensor(shape: shape, bools: numbers.map { $0 != 0 })
        case .string:
            return Tensor(shape: shape, strings: values.map { value in
                if case .string(let string) = value { return string }
                return value.description
            })
        }
    }

    private static func integer(_ value: Double, _ input: ModelValue) throws(GoldenFileError.Reason) -> Int64 {
        guard value.rounded() == value, abs(value) < 2e9 || input.info.elementType == .int64, abs(value) < 9e18 else {
            throw GoldenFileError.Reason("input '\(input.name)' takes integers, got \(value)")
        }
        return Int64(value)
    }
}

/// A golden or input file line that cannot be read, or does not fit the model.
public struct GoldenFileError: Error, CustomStringConvertible {
    /// What is wrong, before the line is known.
    public struct Reason: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The line's number, from 1; 0 for the file as a whole.
    public var line: Int
    public var reason: Reason

    public var description: String { line == 0 ? reason.description : "line \(line): \(reason)" }
}
