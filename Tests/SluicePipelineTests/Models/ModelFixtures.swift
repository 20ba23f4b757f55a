import Foundation
import SluiceModel
@testable import SluicePipeline

/// Model files and golden files written into a fresh directory for one test.
struct ModelFixtures {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func repositoryModel(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent("Models/\(name)")))
    }

    /// The fraud model with a different `doc_string` appended: another file (another SHA-256)
    /// that scores exactly as the original.
    static func fraudVariant(_ tag: String) throws -> [UInt8] {
        let text = Array("variant \(tag)".utf8)
        // ModelProto field 6 (doc_string), length-delimited; the last occurrence wins.
        return try repositoryModel("fraud-mlp.onnx") + [0x32, UInt8(text.count)] + text
    }

    /// Writes `bytes` to `name` atomically, as deployment tools replace a model: beside it, then renamed over it.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// A golden file of `rows` fraud events' feature rows scored by `model`.
    @discardableResult
    func writeGolden(_ name: String, model: Model, rows: Int = 8) throws -> String {
        let writer = GoldenFileWriter(model: model)
        var lines = ""
        for row in 0..<rows {
            let features = (0..<20).map { String(format: "%.3f", sin(Double(row * 20 + $0))) }.joined(separator: ",")
            lines += try writer.goldenLine(for: "{\"features\":[\(features)]}", line: row + 1) + "\n"
        }
        return try write(Array(lines.utf8), to: name)
    }
}
