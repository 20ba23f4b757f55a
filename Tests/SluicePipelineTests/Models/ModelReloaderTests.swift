import Foundation
import SluiceModel
import Synchronization
import Testing
@testable import SluicePipeline

/// Reloads off the processor: a candidate that passes every check replaces the serving model; a
/// broken, a feature-incompatible and a golden-failing one are each refused while the serving
/// model goes on.
@Suite struct ModelReloaderTests {
    /// Records what the reloader reports, as the metrics would.
    final class Reports: ModelLifecycleObserver {
        let refusals = Mutex<[ModelRefusal.Reason]>([])
        let served = Mutex<[String]>([])
        let attempts = Mutex(0)

        func modelLoadAttempted(trigger: ModelReloader.Trigger) { attempts.withLock { $0 += 1 } }
        func modelServed(_ model: RecordContext.Model, replacing previous: RecordContext.Model) { served.withLock { $0.append(model.sha256) } }
        func modelRefused(_ refusal: ModelRefusal) { refusals.withLock { $0.append(refusal.reason) } }
    }

    let fixtures: ModelFixtures
    let reports = Reports()
    let modelPath: String

    init() throws {
        fixtures = try ModelFixtures()
        modelPath = try fixtures.write(ModelFixtures.repositoryModel("fraud-mlp.onnx"), to: "model.onnx")
    }

    func reloader(validation: SluiceConfiguration.Model.Validation? = nil) throws -> ModelReloader {
        var configuration = try SluiceConfiguration.parse(
            yaml: """
                features: [{path: amount}, {path: features, length: 16}, {path: merchant_risk, default: 0}, {path: hour}, {path: account_age_days}]
                batching: {max_size: 64}
                """
        )
        configuration.model.path = modelPath
        configuration.model.validation = validation
        let model = try ModelCandidate.prepare(path: modelPath, configuration: configuration)
        let context = RecordContext(
            inputTopics: ["events"], predictionTopic: "predictions", auditTopic: "audit", model: .init(configuration, model),
            processorInstance: "test", processorVersion: "test"
        )
        return ModelReloader(
            configuration: configuration, holder: try ModelHolder(model: model, context: context, configuration: configuration), observer: reports,
            logger: silentLogger
        )
    }

    @Test func aCheckedCandidateServesFromTheNextGenerationAndTheSameFileIsUnchanged() async throws {
        let reloader = try reloader()
        let original = reloader.holder.served
        try fixtures.write(ModelFixtures.fraudVariant("2"), to: "model.onnx")
        guard case .served(let served, let previous) = await reloader.reload(.http) else {
            Issue.record("the variant was not served")
            return
        }
        #expect(previous == original)
        #expect(served.sha256 != original.sha256)
        #expect(reloader.holder.served == served)
        #expect(reloader.holder.replacement(after: 0)?.generation == 1)
        #expect(reloader.holder.replacement(after: 1) == nil)
        guard case .unchanged = await reloader.reload(.signal) else {
            Issue.record("reloading the same file was not a no-op")
            return
        }
        #expect(reports.served.withLock { $0 } == [served.sha256])
        #expect(reports.attempts.withLock { $0 } == 2)
    }

    @Test(arguments: [
        (ModelRefusal.Reason.unloadable, "broken"),
        (.incompatible, "logistic-binary.onnx"),
    ])
    func aCandidateThatFailsIsRefusedAndTheServingModelGoesOn(reason: ModelRefusal.Reason, candidate: String) async throws {
        let reloader = try reloader()
        let original = reloader.holder.served
        let bytes = candidate == "broken" ? Array(try ModelFixtures.repositoryModel("fraud-mlp.onnx").prefix(100)) : try ModelFixtures.repositoryModel(candidate)
        try fixtures.write(bytes, to: "model.onnx")
        let outcome = await reloader.reload(.fileChanged)
        guard case .refused(let refusal, let serving) = outcome else {
            Issue.record("\(candidate) was not refused: \(outcome.json)")
            return
        }
        #expect(refusal.reason == reason, "\(refusal)")
        #expect(serving == original)
        #expect(reloader.holder.served == original)
        #expect(reloader.holder.replacement(after: 0) == nil)
        #expect(reports.refusals.withLock { $0 } == [reason])
        #expect(outcome.json.contains("\"outcome\":\"refused\""))
    }

    @Test func aCandidateThatDoesNotReproduceTheGoldenFileIsRefused() async throws {
        let golden = try fixtures.writeGolden("golden.jsonl", model: fraudModel)
        var text = try String(contentsOfFile: golden, encoding: .utf8)
        // The golden file of a model that scores otherwise: every expected probability moved.
        text = text.replacingOccurrences(of: "\"fraud_probability\":0.", with: "\"fraud_probability\":0.5")
        try fixtures.write(Array(text.utf8), to: "golden.jsonl")
        var validation = SluiceConfiguration.Model.Validation(golden: golden)
        validation.tolerance = 1e-6
        #expect(throws: ModelRefusal.self) { try reloader(validation: validation) }

        try fixtures.writeGolden("golden.jsonl", model: fraudModel)
        let gated = try reloader(validation: validation)
        try fixtures.write(Array(text.utf8), to: "golden.jsonl")
        try fixtures.write(ModelFixtures.fraudVariant("3"), to: "model.onnx")
        guard case .refused(let refusal, _) = await gated.reload(.http) else {
            Issue.record("a candidate failing its golden file served")
            return
        }
        #expect(refusal.reason == .validationFailed)
        #expect(refusal.message.contains("not reproduced"), "\(refusal)")
    }

    @Test func theWatcherReloadsAModelFileReplacedAtomicallyAndOnlyOnce() async throws {
        let reloader = try reloader()
        let original = reloader.holder.served
        let watching = ModelFileWatcher.start(reloader, every: .milliseconds(5))
        defer { watching.cancel() }
        try fixtures.write(ModelFixtures.fraudVariant("watched"), to: "model.onnx")
        try await waitUntil("the watcher reloads the new file") { reloader.holder.served != original }
        let served = reloader.holder.served
        try await Task.sleep(for: .milliseconds(50))
        #expect(reports.served.withLock { $0 } == [served.sha256], "one reload for one new file")
        #expect(reports.attempts.withLock { $0 } == 1)
    }
}
