import Foundation
import Testing

/// `sluice config check` refuses what `sluice run` refuses before connecting, with the same
/// message, and reads a configuration's paths relative to the file.
@Suite struct ConfigCheckCommandTests {
    static let linearModel = repositoryRoot.appendingPathComponent("Models/linear-regression.onnx").path

    /// A configuration that `sluice run` refuses before it connects, and why.
    struct Refusal: Sendable, CustomStringConvertible {
        var name: String
        var yaml: String
        var message: String
        var description: String { name }
    }

    static let refusals = [
        Refusal(name: "missing model", yaml: "features: [{path: f, length: 8}]\nmodel: {path: missing.onnx}\n", message: "no such file"),
        Refusal(
            name: "not ONNX", yaml: "features: [{path: f, length: 8}]\nmodel: {path: \(repositoryRoot.path)/README.md}\n",
            message: "is not a valid ONNX model"
        ),
        Refusal(
            name: "20 features for 8 inputs", yaml: "features: [{path: f, length: 20}]\nmodel: {path: \(linearModel)}\n",
            message: "features: the spec makes rows of 20 floats, but model 'linear-regression' takes 8"
        ),
        Refusal(
            name: "a canary with 20 inputs for 8 features",
            yaml: "features: [{path: f, length: 8}]\nmodel: {path: \(linearModel), canary: {path: \(repositoryRoot.path)/Models/fraud-mlp.onnx, percent: 5}}\n",
            message: "model.canary: features: the spec makes rows of 8 floats, but model 'fraud-mlp' takes 20"
        ),
        Refusal(
            name: "unknown property",
            yaml: "features: [{path: f, length: 8}]\nmodel: {path: \(linearModel)}\nkafka: {properties: {no.such.property: x}}\n",
            message: "No such configuration property: \"no.such.property\""
        ),
    ]

    @Test(arguments: refusals)
    func checkRefusesWhatRunRefusesWithTheSameMessage(refusal: Refusal) throws {
        let file = try temporaryDirectory().appendingPathComponent("sluice.yaml")
        try refusal.yaml.write(to: file, atomically: true, encoding: .utf8)

        let check = try SluiceExecutable.run(["config", "check", file.path])
        let run = try SluiceExecutable.run(["run", "--config", file.path, "--no-metrics", "--bootstrap", "127.0.0.1:1"])

        #expect(check.status == 2)
        #expect(check.standardOutput.contains(refusal.message), "\(check.standardOutput)")
        #expect(run.status == 2)
        let runError = try #require(run.standardError.split(separator: "\n").last { $0.hasPrefix("error: ") })
        #expect(check.standardOutput == "\(file.path): \(runError.dropFirst("error: ".count))\n", "\(run.standardError)")
    }

    @Test func pathsInAConfigurationAreRelativeToTheFile() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.linearModel, toPath: directory.appendingPathComponent("scorer.onnx").path)
        let file = directory.appendingPathComponent("sluice.yaml")
        try "features: [{path: f, length: 8}]\nmodel: {path: scorer.onnx}\n".write(to: file, atomically: true, encoding: .utf8)

        let run = try SluiceExecutable.run(["config", "check", file.path])

        #expect(run.status == 0, "\(run.standardOutput)")
        #expect(run.standardOutput.contains("model \(directory.appendingPathComponent("scorer.onnx").path)"), "\(run.standardOutput)")
        try FileManager.default.copyItem(atPath: Self.linearModel, toPath: directory.appendingPathComponent("candidate.onnx").path)
        try "features: [{path: f, length: 8}]\nmodel: {path: scorer.onnx, canary: {path: candidate.onnx, percent: 2.5}}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let canary = try SluiceExecutable.run(["config", "check", file.path])
        #expect(canary.status == 0, "\(canary.standardOutput)")
        #expect(canary.standardOutput.contains("canary \(directory.appendingPathComponent("candidate.onnx").path) on 2.5% of the events"), "\(canary.standardOutput)")
    }
}
