import Foundation
import Testing
@testable import SluicePipeline

/// `model.validation`, `model.watch_interval_ms` and `model.shadow`: read, resolved against the
/// configuration file's directory, checked, and printed back the same.
@Suite struct ModelLifecycleConfigurationTests {
    static let yaml = """
        features: [{path: amount}]
        model:
          path: model.onnx
          validation: {golden: golden.jsonl, tolerance: 0.001}
          watch_interval_ms: 250
          shadow: {path: candidate.onnx, name: candidate, version: "2"}
        """

    @Test func theFieldsAreReadResolvedAndPrintedBackTheSame() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sluice.yaml")
        try Data(Self.yaml.utf8).write(to: file)
        let model = try SluiceConfiguration.load(path: file.path).model
        #expect(model.validation?.golden == directory.appendingPathComponent("golden.jsonl").path)
        #expect(model.validation?.tolerance == 0.001)
        #expect(model.watchIntervalMilliseconds == 250)
        #expect(model.shadow?.path == directory.appendingPathComponent("candidate.onnx").path)
        #expect(model.shadow?.name == "candidate" && model.shadow?.version == "2" && model.shadow?.topic == nil)

        let configuration = try SluiceConfiguration.parse(yaml: Self.yaml)
        #expect(configuration.shadowTopic == "predictions.shadow")
        let reread = try SluiceConfiguration.parse(yaml: configuration.redactedYAML).model
        #expect(reread.validation == configuration.model.validation)
        #expect(reread.watchIntervalMilliseconds == 250)
        #expect(reread.shadow == configuration.model.shadow)
        #expect(SluiceConfiguration().model.validation == nil && SluiceConfiguration().model.watchIntervalMilliseconds == 1000)
    }

    @Test(arguments: [
        "model: {validation: {tolerance: 0.1}}",
        "model: {validation: {golden: g.jsonl, tolerance: 2}}",
        "model: {watch_interval_ms: -1}",
        "model: {shadow: {name: candidate}}",
        "model: {shadow: {path: c.onnx, paht: x}}",
    ])
    func anInvalidFieldIsRefusedNamingIt(line: String) {
        #expect(throws: ConfigurationError.self) { try SluiceConfiguration.parse(yaml: "features: [{path: amount}]\n" + line) }
    }
}
