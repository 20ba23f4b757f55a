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
    /// `POST /model/reload`, answering once a processor's reloader is connected.
    public let modelReload: ModelReloadEndpoint
    /// What the processor reports to when no metrics are recorded.
    private let healthObserver: HealthObserver

    /// Logs the effective configuration (secrets redacted), then starts the endpoint when enabled.
    /// ``health`` gives up on unreachable brokers after `kafka.connect_timeout`.
    ///
    /// - Throws: ``ListenError`` when the endpoint cannot listen on `http.listen`.
    public static func start(
        configuration: SluiceConfiguration,
        kafkaStatisticsInterval: Duration? = .seconds(5),
        livenessTimeout: Duration = .seconds(60),
        logger: Logger
    ) async throws -> Observability {
        logEffectiveConfiguration(configuration, logger: logger)
        let health = ServiceHealth(
            livenessTimeout: livenessTimeout, stallTimeout: configuration.http.stallTimeout, connectTimeout: configuration.kafka.connectTimeout
        )
        guard configuration.http.isEnabled else {
            logger.info("metrics and the HTTP endpoint are disabled (http.enabled: false)")
            return Observability(health: health, metrics: nil, server: nil, modelReload: ModelReloadEndpoint())
        }
        let metrics = SluiceMetrics(
            configuration: configuration, kafkaStatisticsInterval: kafkaStatisticsInterval, health: health, logger: logger
        )
        let modelReload = ModelReloadEndpoint()
        let server = try await ObservabilityServer.start(
            listen: configuration.http.listen, metrics: metrics, health: health, modelReload: modelReload, logger: logger
        )
        return Observability(health: health, metrics: metrics, server: server, modelReload: modelReload)
    }

    private init(health: ServiceHealth, metrics: SluiceMetrics?, server: ObservabilityServer?, modelReload: ModelReloadEndpoint) {
        self.health = health
        self.metrics = metrics
        self.server = server
        self.modelReload = modelReload
        healthObserver = HealthObserver(health: health)
    }

    /// Logs the configuration in effect as its YAML, indented below the message, with secret
    /// property values replaced by `<redacted>`.
    public static func logEffectiveConfiguration(_ configuration: SluiceConfiguration, logger: Logger) {
        let yaml = configuration.redactedYAML.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
        logger.info("effective configuration (secrets redacted):\n\(yaml)")
    }

    /// What the processor reports to: the metrics, which keep ``health`` up to date, or when
    /// none are recorded an observer that keeps only ``health`` up to date.
    public var observer: (any ProcessorObserver)? { metrics ?? healthObserver }

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

extension Observability {
    /// Calls `stop` once ``ServiceHealth/brokersGivenUp`` says to give up on the brokers
    /// (`kafka.connect_timeout`), logging why; the task then returns the reason. Cancel it when
    /// the processor has returned: it then returns `nil` unless it had given up.
    public func stoppingWhenBrokersGivenUp(logger: Logger, _ stop: @escaping @Sendable () -> Void) -> Task<String?, Never> {
        Task { [health] in
            while !Task.isCancelled {
                if let reason = health.brokersGivenUp {
                    logger.error("giving up: \(reason)")
                    stop()
                    return reason
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
            return nil
        }
    }
}
