import Foundation
import Testing

/// `sluice model golden` and `sluice model validate` as a CI pipeline runs them, exit codes included.
@Suite struct ModelGoldenCommandTests {
    @Test func aGoldenFileWrittenFromAModelValidatesItAndFailsAnotherWithExitCodes() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("rows.jsonl").path
        let rows = (0..<5).map { row in "[" + (0..<10).map { String(Double(row * 10 + $0) / 50) }.joined(separator: ",") + "]" }
        try rows.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let golden = directory.appendingPathComponent("golden.jsonl").path

        let written = try SluiceExecutable.run(["model", "golden", "--model", "Models/mlp-regressor.onnx", "--input", input, "--output", golden])
        #expect(written.status == 0, "\(written.standardError)")
        #expect(try String(contentsOfFile: golden, encoding: .utf8).split(separator: "\n").count == 5)

        let passed = try SluiceExecutable.run(["model", "validate", "--model", "Models/mlp-regressor.onnx", "--golden", golden])
        #expect(passed.status == 0, "\(passed.standardOutput)\(passed.standardError)")
        #expect(passed.standardOutput.contains("5 of 5 golden cases"))

        // Another model of the same input width: it has none of the golden file's outputs.
        let failed = try SluiceExecutable.run(["model", "validate", "--model", "Models/logistic-binary.onnx", "--golden", golden])
        #expect(failed.status == 1, "\(failed.standardOutput)\(failed.standardError)")
        #expect(failed.standardOutput.contains("line 1:"))

        let missing = try SluiceExecutable.run(["model", "validate", "--model", "Models/mlp-regressor.onnx", "--golden", input])
        #expect(missing.status == 2, "input rows without outputs are no golden file")
        #expect(missing.standardError.hasPrefix("error: "))
        let unloadable = try SluiceExecutable.run(["model", "validate", "--model", golden, "--golden", golden])
        #expect(unloadable.status == 2)
    }
}
