import SluiceObservability
import SluicePipeline
import Testing

/// The canary's metrics: per-model predictions and compute time carry the model's role, so the
/// served model and the canary are told apart even when they are the same file.
@Suite struct CanaryMetricsTests {
    @Test func predictionsAndComputeTimeAreCountedPerModelAndRole() {
        let metrics = SluiceMetrics(configuration: SluiceConfiguration(), kafkaStatisticsInterval: nil, logger: silentLogger)
        let served = RecordContext.Model(name: "fraud", version: "3", sha256: "aa")
        let canary = RecordContext.Model(name: "fraud", version: "4", sha256: "bb")
        metrics.processorScored(rows: 90, by: served, role: .served, compute: .microseconds(50))
        metrics.processorScored(rows: 10, by: canary, role: .canary, compute: .microseconds(40))
        metrics.processorScored(rows: 80, by: served, role: .served, compute: .microseconds(50))
        // The same file as canary and served model (a canary of the served file) stays two series.
        metrics.processorScored(rows: 5, by: served, role: .canary, compute: .microseconds(50))
        metrics.models.canaryStarted(canary, percent: 10)
        let samples = PrometheusSamples(String(decoding: metrics.exposition(), as: UTF8.self))
        #expect(samples.value("sluice_model_predictions_total", ["sha256": "aa", "role": "served"]) == 170)
        #expect(samples.value("sluice_model_predictions_total", ["sha256": "bb", "role": "canary"]) == 10)
        #expect(samples.value("sluice_model_predictions_total", ["sha256": "aa", "role": "canary"]) == 5)
        #expect(samples.value("sluice_model_inference_seconds_count", ["sha256": "aa", "role": "served"]) == 2)
        #expect(samples.value("sluice_canary_model_info", ["name": "fraud", "version": "4", "sha256": "bb", "percent": "10.0"]) == 1)
    }
}
