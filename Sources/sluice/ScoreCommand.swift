import ArgumentParser
import Foundation
import SluiceCommandLine
import SluiceKernels
import SluiceModel
import SluicePipeline

/// `sluice score --model FILE`: JSON lines of features in, one JSON line of outputs out per line.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score JSON lines from standard input with an ONNX model.",
        discussion: """
            For a model with a single float input, each input line is {"features":[…]} or a bare \
            array of numbers: one row of it (null marks a missing value). For any other model, each \
            line is an event object with each model input in the field of its name, as `sluice run` \
            reads events without a features mapping. With --config, lines are the events that \
            configuration's `sluice run` reads, decoded by its features and input format: JSON \
            objects, or for Avro and Protobuf each event's bytes in hex (framed as the \
            configuration says; a registry is asked for the schemas). Each output line, in input order, is \
            {"outputs":{"<name>": <the row's value>}} as prediction records write outputs (class \
            probabilities keyed by label), or {"error":"…"} for a line that cannot be \
            scored; scoring goes on after an error. Lines are scored in batches of what is already \
            available on standard input, and each batch's lines are written as soon as it is scored. \
            Exit status: 0 after the last line (bad lines included), 1 when reading or writing \
            fails, 2 when the model cannot be loaded or scored from JSON lines.
            """
    )

    @Option(help: "The ONNX model file (with --config: instead of the configuration's model.path).")
    var model: String?

    @Option(name: .customLong("config"), help: "Read lines as this configuration's `sluice run` reads events: its features and input format.")
    var configurationPath: String?

    @Option(help: "The most rows scored in one batch.")
    var batchSize: Int = 256

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard model != nil || configurationPath != nil else { throw ValidationError("give --model, --config or both") }
    }

    func run() throws {
        let loaded: Model
        let decoder: EventDecoder
        do {
            (loaded, decoder) = try load()
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        var scorer = LineScorer(model: loaded, decoder: decoder, batchSize: batchSize, wrapsArrays: configurationPath == nil)
        do {
            try scorer.scoreStandardInput()
        } catch {
            printError("error: \(error)")
            throw CommandExit.failure
        }
    }
}

extension ScoreCommand {
    /// The model and how lines decode: by the configuration as `sluice run` would (the same
    /// checks), or each model input from the field of its name.
    private func load() throws -> (Model, EventDecoder) {
        guard let configurationPath else {
            let loaded = try ModelFile.load(model!)
            return (loaded, EventDecoder(json: try FeatureDecoder(inputs: LineScorer.inputSpecs(for: loaded)), schemas: .json))
        }
        let configuration = try SluiceConfiguration.load(path: configurationPath, overrides: model.map { [.model($0)] } ?? [])
        let loaded = try ModelFile.load(configuration.model.path)
        let features = try configuration.preflightCheck(model: loaded)
        let schemas = try EventSchemas.make(for: configuration.input, features: features, readFile: { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) })
        return (loaded, EventDecoder(json: features, schemas: schemas))
    }
}

/// Splits standard input into lines, scores them in batches and writes the results in order.
private struct LineScorer {
    /// What a bare array line is read as: the value of `"features"`.
    private static let arrayLinePrefix = Array(#"{"features":"#.utf8)

    private let model: Model
    private let session: ModelSession
    private let decoder: EventDecoder
    private let batchSize: Int
    /// Whether a line that is a JSON array is read as the value of `"features"`.
    private let wrapsArrays: Bool
    /// Whether lines are events' bytes in hex (Avro and Protobuf), rather than JSON.
    private let isHex: Bool
    private var writer: PredictionLineWriter
    /// The decoded rows of the pending batch.
    private var rows: InputRows
    /// One entry per pending line: `nil` for a row in `rows`, or the line's error.
    private var pending: [String?] = []
    private var rowCount = 0
    /// A bare array line wrapped as an object, or a hex line's bytes.
    private var wrapped: [UInt8] = []

    /// The model's inputs as lines give them: a single float input `[N, F]` from `"features"` (or
    /// a bare array), `null` a missing value; any other model's inputs each from the field of its
    /// name, as `sluice run` reads events without a `features:` mapping.
    static func inputSpecs(for model: Model) throws -> [InputSpec] {
        guard let count = model.featureCount else { return try SluiceConfiguration().inputSpecs(for: model) }
        let features = FeatureSpec([FeatureSpec.Feature(path: "features", length: count, defaultValue: .nan)])
        return [InputSpec(name: model.inputs[0].name, features: features)]
    }

    init(model: Model, decoder: EventDecoder, batchSize: Int, wrapsArrays: Bool) {
        self.model = model
        session = model.makeSession()
        self.decoder = decoder
        self.batchSize = batchSize
        self.wrapsArrays = wrapsArrays
        if case .json = decoder.schemas { isHex = false } else { isHex = true }
        rows = InputRows(layout: decoder.layout, capacity: batchSize)
        writer = PredictionLineWriter(outputs: model.outputs)
    }

    mutating func scoreStandardInput() throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        var consumed = 0
        while true {
            if consumed > 0 {
                buffer.removeSubrange(0..<consumed)
                consumed = 0
            }
            let read = try StandardStreams.read(into: &buffer, limit: 1 << 16)
            let atEnd = read == 0
            buffer.withUnsafeBufferPointer { bytes in
                var start = 0
                while let newline = bytes[start...].firstIndex(of: 0x0A) {
                    add(line: UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                    start = newline + 1
                }
                if atEnd, start < bytes.count {
                    add(line: UnsafeBufferPointer(rebasing: bytes[start...]))
                    start = bytes.count
                }
                consumed = start
            }
            // Whatever was available has been read: score and emit it before waiting for more.
            guard flush() else { return }
            if atEnd { return }
        }
    }

    private mutating func add(line rawLine: UnsafeBufferPointer<UInt8>) {
        var line = rawLine
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        let isArray = wrapsArrays && line.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "[")
        wrapped.removeAll(keepingCapacity: true)
        if isArray {
            wrapped += Self.arrayLinePrefix
            wrapped.append(contentsOf: line)
            wrapped.append(UInt8(ascii: "}"))
        } else if isHex {
            guard Self.appendHex(line, to: &wrapped) else {
                pending.append("invalid_hex: an Avro or Protobuf line is the event's bytes in hex, two digits a byte")
                return
            }
        }
        let decoder = self.decoder
        let wrapped = self.wrapped
        do throws(EventDecoder.Failure) {
            if isArray || isHex {
                try wrapped.withUnsafeBufferPointer { (payload) throws(EventDecoder.Failure) in
                    try rows.withRow(rowCount) { (writer) throws(EventDecoder.Failure) in try decoder.decode(UnsafeRawBufferPointer(payload), into: writer) }
                }
            } else {
                try rows.withRow(rowCount) { (writer) throws(EventDecoder.Failure) in try decoder.decode(UnsafeRawBufferPointer(line), into: writer) }
            }
        } catch {
            switch error {
            case .undecodable(var error):
                if isArray { error.offset = max(0, error.offset - Self.arrayLinePrefix.count) }
                pending.append(error.description)
            case .schemaUnavailable(let reason):
                pending.append("schema_unavailable: \(reason)")
            }
            return
        }
        if let problem = missingValueProblem() {
            pending.append(problem)
            return
        }
        pending.append(nil)
        rowCount += 1
        if rowCount == batchSize { _ = flush() }
    }

    /// NaN in a model that cannot take it, reported for the line rather than failing its batch.
    private func missingValueProblem() -> String? {
        guard !model.acceptsMissingValues else { return nil }
        let width = decoder.layout.lanes.float
        guard let index = rows.floats[(rowCount * width)..<((rowCount + 1) * width)].firstIndex(where: \.isNaN) else { return nil }
        return "feature \(index - rowCount * width) is missing (null); this model has no missing-value handling (no tree ensemble or imputer)"
    }

    /// Appends the bytes of hex digits `line` (surrounding blanks ignored); false when it is not hex.
    private static func appendHex(_ line: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) -> Bool {
        func digit(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        let digits = line.filter { $0 != 0x20 && $0 != 0x09 }
        guard digits.count % 2 == 0 else { return false }
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = digit(digits[index]), let low = digit(digits[index + 1]) else { return false }
            bytes.append(high << 4 | low)
        }
        return true
    }

    /// Scores the pending rows and writes every pending line; false when standard output is closed.
    private mutating func flush() -> Bool {
        guard !pending.isEmpty else { return true }
        writer.removeAll()
        if rowCount > 0, let outputs = try? session.predict(rows, rows: 0..<rowCount) {
            var row = 0
            for error in pending {
                if let error {
                    writer.appendError(error)
                } else {
                    writer.appendPrediction(row: row, rows: rowCount, of: outputs)
                    row += 1
                }
            }
        } else {
            writeRowByRow()
        }
        pending.removeAll(keepingCapacity: true)
        rowCount = 0
        rows.removeAll()
        return writer.bytes.withUnsafeBufferPointer { StandardStreams.write($0, to: 1) }
    }

    /// Scores each row alone, so a row the batch could not score gets its own error.
    private mutating func writeRowByRow() {
        var row = 0
        for error in pending {
            if let error {
                writer.appendError(error)
                continue
            }
            do {
                let outputs = try session.predict(rows, rows: row..<(row + 1))
                writer.appendPrediction(row: 0, rows: 1, of: outputs)
            } catch {
                writer.appendError("\(error)")
            }
            row += 1
        }
    }
}
