import Foundation
import Testing
@testable import SluicePipeline

/// `model.canary`: read, resolved against the configuration file's directory, checked, and
/// printed back the same.
@Suite struct CanaryConfigurationTests {
    static let yaml = "features: [{path: amount}]\nmodel: {path: model.onnx, canary: {path: candidate.onnx, name: candidate, version: \"4\", percent: 12.5}}\n"

    @Test func theCanaryIsReadResolvedAndPrintedBackTheSame() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sluice.yaml")
        try Data(Self.yaml.utf8).write(to: file)
        let canary = try #require(try SluiceConfiguration.load(path: file.path).model.canary)
        #expect(canary.path == directory.appendingPathComponent("candidate.onnx").path)
        #expect(canary.name == "candidate" && canary.version == "4" && canary.percent == 12.5)

        let configuration = try SluiceConfiguration.parse(yaml: Self.yaml)
        #expect(configuration.redactedYAML.contains(#"canary: {path: "candidate.onnx", name: "candidate", version: "4", percent: 12.5}"#))
        #expect(try SluiceConfiguration.parse(yaml: configuration.redactedYAML).model.canary == configuration.model.canary)
        #expect(SluiceConfiguration().model.canary == nil)
    }

    @Test(arguments: [
        ("model: {canary: {percent: 5}}", "model.canary"),
        ("model: {canary: {path: c.onnx}}", "model.canary"),
        ("model: {canary: {path: c.onnx, percent: 101}}", "model.canary.percent"),
        ("model: {canary: {path: c.onnx, percent: -1}}", "model.canary.percent"),
        ("model: {canary: {path: c.onnx, percent: 5, share: 5}}", "model.canary"),
        ("model: {path: m.onnx, canary: {path: m.onnx, percent: 5}}", "model.canary.path"),
    ])
    func anInvalidCanaryIsRefusedNamingTheField(line: String, field: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try SluiceConfiguration.parse(yaml: "features: [{path: amount}]\n" + line) }
        #expect(error.field.hasPrefix(field), "\(error)")
    }
}
