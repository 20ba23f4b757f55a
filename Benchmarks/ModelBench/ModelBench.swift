import ArgumentParser
import Foundation
import SluiceModel
import SluiceTime

/// Times Sluice's predictions of one model at one batch size and prints rows per second as one JSON
/// line. `Benchmarks/model-bench/run.py` runs it alternately with onnxruntime.
@main
struct ModelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-model-bench",
        abstract: "Times Model predictions at one batch size and prints rows per second as JSON."
    )

    @Option(help: "The ONNX model file.")
    var model: String

    @Option(help: "A file of rows × columns little-endian float32 values, row after row.")
    var input: String

    @Option(help: "Rows per prediction: the batch size.")
    var rows: Int

    @Option(help: "Values per row.")
    var columns: Int

    @Option(help: "Seconds to keep predicting before reporting.")
    var minTime: Double = 0.2

    func run() throws {
        let loaded = try Model(contentsOf: model)
        let features = try readRows()
        let session = loaded.makeSession()
        try features.withUnsafeBufferPointer { batch in
            // Warm-up: the first calls size every buffer; later ones reuse them.
            for _ in 0 ..< 3 { _ = try session.predict(features: batch, rows: rows) }
            // Calls are timed in groups of about 4096 rows so that reading the clock costs nothing measurable.
            let group = max(1, 4096 / rows)
            let clock = ContinuousClock()
            let start = clock.now
            var iterations = 0
            var elapsed = Duration.zero
            repeat {
                for _ in 0 ..< group { _ = try session.predict(features: batch, rows: rows) }
                iterations += group
                elapsed = clock.now - start
            } while elapsed < .seconds(minTime)
            let seconds = elapsed.inSeconds
            print("{\"rows_per_second\": \(Double(rows * iterations) / seconds), \"iterations\": \(iterations), \"seconds\": \(seconds)}")
        }
    }

    private func readRows() throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: input))
        guard data.count == rows * columns * MemoryLayout<Float>.size else {
            throw ValidationError("\(input) holds \(data.count) bytes, not \(rows) × \(columns) float32 values")
        }
        return data.withUnsafeBytes { bytes in
            (0 ..< rows * columns).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
