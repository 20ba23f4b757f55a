import ArgumentParser
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
            Each input line is {"features":[…]} or a bare array of numbers: one row of the model's \
            single float input (null marks a missing value). Each output line, in input order, is \
            {"outputs":{"<name>": <the row's value>}}, or {"error":"…"} for a line that cannot be \
            scored; scoring goes on after an error. Lines are scored in batches of what is already \
            available on standard input, and each batch's lines are written as soon as it is scored. \
            Exit status: 0 after the last line (bad lines included), 1 when reading or writing \
            fails, 2 when the model cannot be loaded or scored from JSON lines.
            """
    )

    @Option(help: "The ONNX model file.")
    var model: String

    @Option(help: "The most rows scored in one batch.")
    var batchSize: Int = 256

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let loaded: Model
        do {
            loaded = try ModelFile.load(model)
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        guard let featureCount = loaded.featureCount else {
            printError(
                "error: model \(model) cannot be scored from JSON lines: it needs a single float input of shape [N, F]; its inputs are "
                    + loaded.inputs.map { "'\($0.name)' \($0.info.typeDescription)" }.joined(separator: ", ")
            )
            throw CommandExit.invalid
        }
        var scorer = LineScorer(model: loaded, featureCount: featureCount, batchSize: batchSize)
        do {
            try scorer.scoreStandardInput()
        } catch {
            printError("error: \(error)")
            throw CommandExit.failure
        }
    }
}

/// Splits standard input into lines, scores them in batches and writes the results in order.
private struct LineScorer {
    private let model: Model
    private let session: ModelSession
    private let featureCount: Int
    private let batchSize: Int
    private var writer: PredictionLineWriter
    /// The parsed rows of the pending batch, contiguous.
    private var features: [Float] = []
    /// One entry per pending line: `nil` for a row in `features`, or the line's error.
    private var pending: [String?] = []
    private var rows = 0

    init(model: Model, featureCount: Int, batchSize: Int) {
        self.model = model
        session = model.makeSession()
        self.featureCount = featureCount
        self.batchSize = batchSize
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
        let start = features.count
        do {
            try FeatureLineParser.parse(line, into: &features)
        } catch {
            pending.append(error.message)
            return
        }
        let count = features.count - start
        if let problem = problem(inRowFrom: start, count: count) {
            features.removeSubrange(start...)
            pending.append(problem)
            return
        }
        pending.append(nil)
        rows += 1
        if rows == batchSize { _ = flush() }
    }

    private func problem(inRowFrom start: Int, count: Int) -> String? {
        guard count == featureCount else {
            return "expected \(featureCount) features, got \(count)"
        }
        if !model.acceptsMissingValues, let index = features[start...].firstIndex(where: \.isNaN) {
            return "feature \(index - start) is missing (null); this model has no missing-value handling (no tree ensemble or imputer)"
        }
        return nil
    }

    /// Scores the pending rows and writes every pending line; false when standard output is closed.
    private mutating func flush() -> Bool {
        guard !pending.isEmpty else { return true }
        writer.removeAll()
        if rows > 0, let outputs = try? session.predict(features: features, rows: rows) {
            var row = 0
            for error in pending {
                if let error {
                    writer.appendError(error)
                } else {
                    writer.appendPrediction(row: row, rows: rows, of: outputs)
                    row += 1
                }
            }
        } else {
            writeRowByRow()
        }
        features.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        rows = 0
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
            let slice = features[(row * featureCount)..<((row + 1) * featureCount)]
            do {
                let outputs = try slice.withUnsafeBufferPointer { try session.predict(features: $0, rows: 1) }
                writer.appendPrediction(row: 0, rows: 1, of: outputs)
            } catch {
                writer.appendError("\(error)")
            }
            row += 1
        }
    }
}
