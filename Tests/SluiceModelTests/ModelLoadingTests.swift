import Foundation
import Testing
@testable import SluiceModel

@Suite struct ModelLoadingTests {
    private func loadError(_ name: String, options: ModelOptions = TestOperators.options) throws -> ModelLoadError {
        do {
            _ = try Model(contentsOf: Fixture.path(name), options: options)
        } catch let error as ModelLoadError {
            return error
        }
        Issue.record("\(name) loaded although it should not")
        throw CancellationError()
    }

    private func loadError(bytes: [UInt8]) throws -> ModelLoadError {
        do {
            _ = try Model(bytes: bytes, source: "bytes.onnx", options: TestOperators.options)
        } catch let error as ModelLoadError {
            return error
        }
        Issue.record("the bytes loaded as a model although they should not")
        throw CancellationError()
    }

    @Test func identityNamesTheModelFromMetadataAndDigestsTheFileLikeSha256sum() throws {
        let model = try Model(contentsOf: Fixture.path("add-relu.onnx"), options: TestOperators.options)
        let sha256sum = Process()
        sha256sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sha256sum.arguments = [Fixture.path("add-relu.onnx")]
        let pipe = Pipe()
        sha256sum.standardOutput = pipe
        try sha256sum.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sha256sum.waitUntilExit()

        #expect(model.identity.sha256 == printed.split(separator: " ").first.map(String.init))
        #expect(model.identity.name == "add-relu")
        #expect(model.identity.version == "3")
        #expect(model.identity.producerName == "sluice-fixtures")
        let fileBytes = try Fixture.bytes("add-relu.onnx")
        #expect(model.identity.byteCount == fileBytes.count)
        #expect(model.identity.opsets == [OpsetImport(domain: "ai.onnx", version: 17)])
    }

    @Test func nameFallsBackToTheFileNameAndInterfaceIsDescribed() throws {
        let model = try Model(contentsOf: Fixture.path("unsorted.onnx"), options: TestOperators.options)
        #expect(model.identity.name == "unsorted")
        #expect(model.identity.version == nil)
        #expect(model.inputs.map(\.name) == ["X"])
        #expect(model.inputs[0].info.typeDescription == "float[N, 3]")
        #expect(model.outputs.map(\.name) == ["Y"])
        #expect(model.featureCount == 3)
        #expect(model.operators.map(\.opType) == ["Add", "Relu"])
        #expect(model.operators.allSatisfy { $0.isSupported })
    }

    @Test func truncatedFileIsRejectedAsNotAValidModel() throws {
        let bytes = try Fixture.bytes("add-relu.onnx")
        for length in [0, 1, 7, bytes.count / 2, bytes.count - 1] {
            let error = try loadError(bytes: Array(bytes.prefix(length)))
            #expect(error.description.contains("not a valid ONNX model"), "\(length) bytes: \(error)")
        }
    }

    @Test func garbageBytesAreRejectedAsNotAValidModel() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let garbage = (0..<4096).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let error = try loadError(bytes: garbage)
        #expect(error.description.contains("not a valid ONNX model"))
    }

    @Test func missingFileSaysSo() throws {
        let error = try loadError("no-such-model.onnx")
        #expect(error.description.contains("no such file"))
        #expect(error.description.contains("no-such-model.onnx"))
    }

    @Test func everyUnsupportedNodeIsNamedAtLoad() throws {
        let error = try loadError("unsupported.onnx")
        let byNode = Dictionary(grouping: error.problems) { $0.node?.name ?? "" }
        #expect(Set(byNode.keys) == ["mystery", "vendor", "branch"], "\(error)")
        #expect(byNode["mystery"]?.map(\.description) == [
            "node 'mystery' (FrobnicateOp, domain ai.onnx, opset 17): operator FrobnicateOp is not supported by Sluice"
        ])
        #expect(byNode["vendor"]?.map(\.reason) == ["domain com.microsoft is not supported (Sluice supports ai.onnx and ai.onnx.ml)"])
        #expect(byNode["branch"]?.count == 2, "one problem per subgraph attribute")
        #expect(byNode["branch"]?.allSatisfy { $0.reason.contains("subgraph") } == true)
        #expect(error.description.contains("4 problems"))
    }

    @Test func operatorAtAnUnsupportedOpsetIsRejectedWithTheSupportedRange() throws {
        let error = try loadError("opset-too-new.onnx")
        #expect(error.problems.count == 1)
        #expect(error.problems[0].node?.name == "rectify")
        #expect(error.problems[0].reason == "Sluice implements Relu for opsets 6...22, not the imported 99")
    }

    @Test func externalDataIsRejectedNamingTheInitializer() throws {
        let error = try loadError("external-data.onnx")
        #expect(error.problems.count == 1)
        #expect(error.description.contains("initializer 'bias'"))
        #expect(error.description.contains("external file"))
    }

    @Test func aValueProducedTwiceIsRejected() throws {
        let error = try loadError("produced-twice.onnx")
        #expect(error.problems.map(\.node?.name) == ["second"])
        #expect(error.problems[0].reason.contains("value 'Y' is also produced by node 'first'"))
    }

    @Test func aValueNobodyProducesIsRejected() throws {
        let error = try loadError("dangling-input.onnx")
        #expect(error.problems.map(\.node?.name) == ["dangling"])
        #expect(error.problems[0].reason.contains("'nowhere'"))
    }

    @Test func inspectionDescribesAnUnsupportedModel() throws {
        let inspection = try ModelInspection(contentsOf: Fixture.path("unsupported.onnx"), options: TestOperators.options)
        #expect(!inspection.isSupported)
        #expect(inspection.inputs.map(\.name) == ["X"])
        let support = Dictionary(uniqueKeysWithValues: inspection.operators.map { ($0.opType, $0.isSupported) })
        #expect(support == ["Add": true, "FrobnicateOp": false, "FusedGemm": false, "If": false])
        #expect(inspection.problems.count == 4)
    }

    @Test func intermediateValuesShareBuffersWhenTheirLifetimesAllow() throws {
        let model = try Model(contentsOf: Fixture.path("chain.onnx"), options: TestOperators.options)
        // 8 computed values, the input and the bias; a chain needs only two alternating buffers
        // besides the input, the bias and the output.
        #expect(model.plan.steps.count == 8)
        #expect(model.plan.initialSlots.count <= 5, "\(model.plan.initialSlots.count) slots")
    }
}
