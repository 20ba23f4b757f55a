import ArgumentParser
import SluiceCommandLine
import SluiceModel
import SluicePipeline

/// `sluice model …`: look at model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect ONNX models, and check them against golden files.",
        subcommands: [Inspect.self, Validate.self, Golden.self]
    )

    /// `sluice model inspect FILE`
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a model's identity, inputs, outputs, opsets and operators, and whether Sluice can run it.",
            discussion: "Exits with status 2 when Sluice cannot load the model, after saying why."
        )

        @Argument(help: "The .onnx file.")
        var file: String

        func run() throws {
            let inspection: ModelInspection
            do {
                inspection = try ModelInspection(bytes: ModelFile.bytes(at: file), source: file)
            } catch {
                printError("error: \(error)")
                throw CommandExit.invalid
            }
            print(Self.report(inspection), terminator: "")
            if !inspection.isSupported { throw CommandExit.invalid }
        }

        static func report(_ inspection: ModelInspection) -> String {
            let identity = inspection.identity
            var text = """
                model:     \(identity.name)\(identity.version.map { " version \($0)" } ?? "")
                sha256:    \(identity.sha256)
                size:      \(identity.byteCount) bytes
                producer:  \(identity.producerName) \(identity.producerVersion)
                ir:        \(identity.irVersion)
                graph:     \(identity.graphName)
                opsets:    \(identity.opsets.map(\.description).joined(separator: ", "))

                """
            if !identity.metadata.isEmpty {
                text += "metadata:\n"
                for (key, value) in identity.metadata.sorted(by: { $0.key < $1.key }) { text += "  \(key): \(value)\n" }
            }
            text += "inputs:\n"
            for input in inspection.inputs { text += "  \(input.name): \(input.type)\n" }
            text += "outputs:\n"
            for output in inspection.outputs { text += "  \(output.name): \(output.type)\n" }
            text += "operators:\n"
            for use in inspection.operators {
                let opset = use.opset.map { "opset \($0)" } ?? "domain not imported"
                text += "  \(use.domain) \(use.opType) (\(opset)) ×\(use.nodeCount): \(use.isSupported ? "supported" : "not supported")\n"
            }
            if inspection.isSupported {
                text += "supported: yes\n"
            } else {
                text += "supported: no\n"
                for problem in inspection.problems { text += "  - \(problem)\n" }
            }
            return text
        }
    }
}
