import Logging
import SluicePipeline

/// What a `sluice` command serves operators while it processes: metrics, health and readiness on
/// the HTTP endpoint of `http.listen`, or only the health state when `http.enabled` is false.
///
/// The command tells it how the model load went, hands ``observer`` to the processor, and tells
/// ``health`` when the processor starts and stops.
public final class Observability: Sendable {
    public let health: ServiceHealth
    /// `nil` when `http.enabled` is false: nothing is recorded.
    public let metrics: SluiceMetrics?
    /// `nil` when `http.enabled` is false.
    public let server: ObservabilityServer?

    /// Logs the effective configuration (secrets redacted), then starts the endpoint when enabled.
    ///
    /// - Throws: when the endpoint cannot listen on `http.listen`.
    public static func start(
        configuration: SluiceConfiguration,
        kafkaStatisticsInterval: Duration? = .seconds(5),
        livenessTimeout: Duration = .seconds(60),
        logger: Logger
    ) async throws -> Observability {
        logEffectiveConfiguration(configuration, logger: logger)
        let health = ServiceHealth(livenessTimeout: livenessTimeout, stallTimeout: configuration.http.stallTimeout)
        guard configuration.http.isEnabled else {
            logger.info("metrics and the HTTP endpoint are disabled (http.enabled: false)")
            return Observability(health: health, metrics: nil, server: nil)
        }
        let metrics = SluiceMetrics(
            configuration: configuration, kafkaStatisticsInterval: kafkaStatisticsInterval, health: health, logger: logger
        )
        let server = try await ObservabilityServer.start(listen: configuration.http.listen, metrics: metrics, health: health, logger: logger)
        return Observability(health: health, metrics: metrics, server: server)
    }

    private init(health: ServiceHealth, metrics: SluiceMetrics?, server: ObservabilityServer?) {
        self.health = health
        self.metrics = metrics
        self.server = server
    }

    /// Logs the configuration in effect, one line per YAML line, with secret property values
    /// replaced by `<redacted>`.
    public static func logEffectiveConfiguration(_ configuration: SluiceConfiguration, logger: Logger) {
        logger.info(
            "effective configuration",
            metadata: ["configuration": .array(configuration.redactedYAML.split(separator: "\n").map { .string(String($0)) })]
        )
    }

    /// What the processor reports to.
    public var observer: (any ProcessorObserver)? { metrics }

    /// The model loaded: readiness may turn positive, and `sluice_model_info` names it.
    public func modelLoaded(_ model: SluiceMetrics.ModelInfo) {
        metrics?.modelLoaded(model)
        health.modelLoaded()
    }

    /// Stops the endpoint.
    public func stop() async {
        try? await server?.stop()
    }
}
