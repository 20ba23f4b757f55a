import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SluiceModel
import SluiceObservability
import SluicePipeline
import Testing

/// `POST /model/reload` and the model lifecycle's metrics, as an operator and Prometheus see them.
@Suite struct ModelReloadEndpointTests {
    func post(_ path: String, port: Int) async throws -> HTTPReply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return HTTPReply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: String(decoding: data, as: UTF8.self))
    }

    @Test func aReloadAnswersWithItsOutcomeAndTheMetricsCountLoadsReloadsAndRefusals() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let modelPath = directory.appendingPathComponent("model.onnx").path
        let original = try Data(contentsOf: packageRoot.appendingPathComponent("Models/fraud-mlp.onnx"))
        try original.write(to: URL(fileURLWithPath: modelPath))

        let cluster = try makeCluster()
        var configuration = try makeConfiguration(cluster, group: "reload-endpoint")
        configuration.model.path = modelPath
        let observability = try await Observability.start(configuration: configuration, kafkaStatisticsInterval: nil, logger: silentLogger)
        defer { Task { await observability.stop() } }
        let port = try #require(observability.server?.port)
        #expect(try await post("/model/reload", port: port).status == 503, "no processor yet")

        let model = try ModelCandidate.prepare(path: modelPath, configuration: configuration)
        observability.modelLoaded(.init(configuration, model))
        let context = RecordContext(
            inputTopics: ["events"], predictionTopic: "predictions", auditTopic: "audit", model: .init(configuration, model),
            processorInstance: "test", processorVersion: "test"
        )
        let holder = try ModelHolder(model: model, context: context, configuration: configuration)
        observability.modelReload.connect(
            ModelReloader(configuration: configuration, holder: holder, observer: observability.metrics?.models, logger: silentLogger)
        )

        let unchanged = try await post("/model/reload", port: port)
        #expect(unchanged.status == 200 && unchanged.body.contains(#""outcome":"unchanged""#), "\(unchanged.body)")
        // Another file of the same model: a doc_string appended (ModelProto field 6; the last one wins).
        try (original + Data([0x32, 2]) + Data("v2".utf8)).write(to: URL(fileURLWithPath: modelPath), options: .atomic)
        let served = try await post("/model/reload", port: port)
        #expect(served.status == 200 && served.body.contains(#""outcome":"served""#), "\(served.body)")
        #expect(served.contentType == "application/json")
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: modelPath), options: .atomic)
        let refused = try await post("/model/reload", port: port)
        #expect(refused.status == 422 && refused.body.contains(#""reason":"unloadable""#), "\(refused.body)")
        #expect(try await get("/model/reload", port: port).status == 405)

        let samples = PrometheusSamples(try await get("/metrics", port: port).body)
        #expect(samples.value("sluice_model_loads_total", ["trigger": "start"]) == 1)
        #expect(samples.value("sluice_model_loads_total", ["trigger": "http"]) == 3)
        #expect(samples.value("sluice_model_reloads_total") == 1)
        #expect(samples.value("sluice_model_refusals_total", ["reason": "unloadable"]) == 1)
        #expect(samples.value("sluice_model_refusals_total", ["reason": "validation_failed"]) == 0)
        #expect(samples.series("sluice_model_info").count == 1, "only the serving model has an info series")
        #expect(samples.value("sluice_model_info", ["sha256": holder.served.sha256]) == 1)
        #expect(holder.served.sha256 != model.identity.sha256)
    }
}
