import CoreMetrics
import Prometheus
import SluicePipeline
import Synchronization

/// The model lifecycle's metrics: the serving model's info series, load attempts by trigger,
/// reloads that took effect, refused candidates by reason, the shadow's and the canary's info
/// series, the shadow's comparison, and each model's predictions and compute time by role.
public final class ModelMetrics: ModelLifecycleObserver {
    private let registry: PrometheusCollectorRegistry
    private let loads: [String: CoreMetrics.Counter]
    private let reloads: CoreMetrics.Counter
    private let refusals: [ModelRefusal.Reason: CoreMetrics.Counter]
    /// The serving model's `sluice_model_info` series; a replacement removes it, so the info
    /// metric always names one model.
    private let info = Mutex<Prometheus.Gauge?>(nil)
    private let shadowRecords: Prometheus.Counter
    private let shadowFailures: Prometheus.Counter
    private let labelsCompared: Prometheus.Counter
    private let labelsAgreeing: Prometheus.Counter
    private let scoreDifference: Prometheus.ValueHistogram
    private let shadowInference: Prometheus.ValueHistogram
    /// Per model file (by SHA-256) and role, its prediction counter and inference histogram, made when it first scores.
    private let perModel = Mutex<[ScoringModel: (predictions: Prometheus.Counter, inference: Prometheus.ValueHistogram)]>([:])

    private struct ScoringModel: Hashable {
        var sha256: String
        var role: ModelRole
    }

    /// As `sluice_inference_seconds`' buckets.
    static let inferenceBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1]

    init(registry: PrometheusCollectorRegistry, factory: PrometheusMetricsFactory) {
        self.registry = registry
        loads = Dictionary(uniqueKeysWithValues: (["start"] + ModelReloader.Trigger.allCases.map(\.rawValue)).map { trigger in
            (trigger, CoreMetrics.Counter(label: MetricName.modelLoads, dimensions: [("trigger", trigger)], factory: factory))
        })
        reloads = CoreMetrics.Counter(label: MetricName.modelReloads, factory: factory)
        refusals = Dictionary(uniqueKeysWithValues: ModelRefusal.Reason.allCases.map { reason in
            (reason, CoreMetrics.Counter(label: MetricName.modelRefusals, dimensions: [("reason", reason.rawValue)], factory: factory))
        })
        shadowRecords = registry.makeCounter(descriptor: .init(metricName: MetricName.shadowPredictions, helpText: "Events the shadow model scored."))
        shadowFailures = registry.makeCounter(
            descriptor: .init(
                metricName: MetricName.shadowFailures, helpText: "Events the shadow model could not score (their shadow records carry the error)."
            )
        )
        labelsCompared = registry.makeCounter(descriptor: .init(metricName: MetricName.shadowLabelsCompared, helpText: "Events whose labels were compared."))
        labelsAgreeing = registry.makeCounter(
            descriptor: .init(metricName: MetricName.shadowLabelsAgreeing, helpText: "Events whose shadow label equals the serving model's.")
        )
        scoreDifference = registry.makeValueHistogram(
            descriptor: .init(
                metricName: MetricName.shadowScoreDifference,
                helpText: "Per event, the largest absolute difference between the shadow's and the serving model's scores."
            ),
            buckets: [0.000001, 0.00001, 0.0001, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1]
        )
        shadowInference = registry.makeValueHistogram(
            descriptor: .init(metricName: MetricName.shadowInference, helpText: "Per batch, the shadow model's compute time in seconds."),
            buckets: Self.inferenceBuckets
        )
    }

    /// The shadow model loaded at start, exported as `sluice_shadow_model_info`.
    public func shadowStarted(_ model: RecordContext.Model) {
        registry.makeGauge(
            descriptor: .init(metricName: MetricName.shadowModelInfo, helpText: "The shadow model: its name, version and file's SHA-256; always 1."),
            labels: [("name", model.name), ("version", model.version), ("sha256", model.sha256)]
        ).set(to: 1.0)
    }

    /// The canary model loaded at start, exported as `sluice_canary_model_info` with its share.
    public func canaryStarted(_ model: RecordContext.Model, percent: Double) {
        registry.makeGauge(
            descriptor: .init(
                metricName: MetricName.canaryModelInfo, helpText: "The canary model: its name, version, file's SHA-256 and share of the events in percent; always 1."
            ),
            labels: [("name", model.name), ("version", model.version), ("sha256", model.sha256), ("percent", "\(percent)")]
        ).set(to: 1.0)
    }

    /// `model`, in `role`, scored a batch of `rows` rows in `compute`.
    func scored(rows: Int, by model: RecordContext.Model, role: ModelRole, compute: Duration) {
        let key = ScoringModel(sha256: model.sha256, role: role)
        let series = perModel.withLock { perModel in
            if let series = perModel[key] { return series }
            let labels = [("name", model.name), ("version", model.version), ("sha256", model.sha256), ("role", role.rawValue)]
            let series = (
                predictions: registry.makeCounter(
                    descriptor: .init(metricName: MetricName.modelPredictions, helpText: "Events each model scored."), labels: labels
                ),
                inference: registry.makeValueHistogram(
                    descriptor: .init(metricName: MetricName.modelInference, helpText: "Per batch, each model's compute time in seconds."),
                    labels: labels, buckets: Self.inferenceBuckets
                )
            )
            perModel[key] = series
            return series
        }
        series.predictions.increment(by: Int64(rows))
        series.inference.record(Double(SluiceMetrics.nanoseconds(compute)) / 1e9)
    }

    /// A batch the shadow model scored, or failed to.
    func shadowScored(_ comparison: ShadowComparison, compute: Duration) {
        if comparison.scored { shadowRecords.increment(by: Int64(comparison.rows)) } else { shadowFailures.increment(by: Int64(comparison.rows)) }
        labelsCompared.increment(by: Int64(comparison.labelsCompared))
        labelsAgreeing.increment(by: Int64(comparison.labelsAgreeing))
        for difference in comparison.scoreDifferences { scoreDifference.record(difference) }
        shadowInference.record(Double(SluiceMetrics.nanoseconds(compute)) / 1e9)
    }

    /// The model loaded at start serves.
    func started(_ model: RecordContext.Model) {
        loads["start"]?.increment()
        serve(model)
    }

    public func modelLoadAttempted(trigger: ModelReloader.Trigger) {
        loads[trigger.rawValue]?.increment()
    }

    public func modelServed(_ model: RecordContext.Model, replacing previous: RecordContext.Model) {
        reloads.increment()
        serve(model)
    }

    public func modelRefused(_ refusal: ModelRefusal) {
        refusals[refusal.reason]?.increment()
    }

    private func serve(_ model: RecordContext.Model) {
        let gauge = registry.makeGauge(
            descriptor: .init(metricName: MetricName.modelInfo, helpText: "The model serving: its name, version and file's SHA-256; always 1."),
            labels: [("name", model.name), ("version", model.version), ("sha256", model.sha256)]
        )
        gauge.set(to: 1.0)
        let previous = info.withLock { info in
            defer { info = gauge }
            return info
        }
        if let previous, previous !== gauge { registry.unregisterGauge(previous) }
    }
}
