import Logging
import ServiceLifecycle
import SluiceModel
import SluiceObservability
import SluicePipeline

/// Sluice's processor as one service, wired the same way for `sluice run`, `sluice demo` and the
/// benchmarks: making it starts observability (the HTTP endpoint, or only the health state),
/// loads and checks the model (and a shadow and a canary model) and prepares the processor; ``run()`` runs the
/// processor, reloads its model when asked (``ModelReloader``), reports its start and stop to health, gives up when the brokers stay unreachable past `kafka.connect_timeout`,
/// and stops observability when the processor has returned.
///
/// In a `ServiceGroup` (``runUntilTerminated()``), a graceful shutdown (SIGTERM, SIGINT) stops the
/// processor, which finishes and commits the work in flight before ``run()`` returns. Outside
/// one, ``stop()`` does the same.
public final class ProcessorService: Service, Sendable {
    /// How the service is made.
    public struct Options: Sendable {
        /// The processor's options; its observer is set to observability's.
        public var processor: Processor.Options
        /// The model, when the caller has it loaded already (a benchmark reuses one for every
        /// run); `nil` loads `model.path`.
        public var model: Model?
        /// When the HTTP endpoint cannot listen on `http.listen`: `nil` fails with
        /// ``ProcessorServiceError/endpointUnavailable(_:)``; otherwise called with the reason and
        /// the service goes on without the endpoint.
        public var onEndpointUnavailable: (@Sendable (any Error) -> Void)?
        /// Called once when a graceful shutdown begins, before the processor is asked to stop.
        public var onShutdownRequested: (@Sendable () -> Void)?

        public init(processor: Processor.Options = Processor.Options(), model: Model? = nil) {
            self.processor = processor
            self.model = model
        }
    }

    /// The processor, prepared and not yet run.
    public let processor: Processor
    /// What operators are served while it runs.
    public let observability: Observability
    /// The model it scores with.
    public let model: Model
    private let onShutdownRequested: (@Sendable () -> Void)?
    private let configuration: SluiceConfiguration
    private let logger: Logger

    /// Starts observability, loads the model and prepares the processor (its Kafka clients
    /// connect lazily: nothing is consumed before ``run()``).
    ///
    /// - Throws: ``ProcessorServiceError/endpointUnavailable(_:)`` or
    ///   ``ProcessorServiceError/unusable(_:)`` (health then reports the model as failed).
    public init(configuration: SluiceConfiguration, options: Options = Options(), logger: Logger) async throws(ProcessorServiceError) {
        var configuration = configuration
        let observability: Observability
        do {
            observability = try await Observability.start(configuration: configuration, logger: logger)
        } catch {
            guard let onEndpointUnavailable = options.onEndpointUnavailable else { throw ProcessorServiceError.endpointUnavailable(error) }
            onEndpointUnavailable(error)
            configuration.http.isEnabled = false
            do {
                observability = try await Observability.start(configuration: configuration, logger: logger)
            } catch {
                throw ProcessorServiceError.endpointUnavailable(error)
            }
        }
        do {
            let model = try options.model ?? ModelCandidate.prepare(path: configuration.model.path, configuration: configuration)
            let shadow = try configuration.model.shadow.map { try ModelCandidate.prepare(path: $0.path, configuration: configuration.shadowChecks, validating: false) }
            let canary = try ModelCandidate.prepareCanary(configuration: configuration)
            observability.modelLoaded(.init(configuration, model))
            var processorOptions = options.processor
            processorOptions.observer = observability.observer
            processor = try Processor(
                configuration: configuration, model: model, shadow: shadow, canary: canary, options: processorOptions, logger: logger
            )
            if let shadow = processor.shadowModel { observability.metrics?.models.shadowStarted(shadow) }
            if let canary = processor.canaryModel, let percent = configuration.model.canary?.percent {
                observability.metrics?.models.canaryStarted(canary, percent: percent)
            }
            self.model = model
        } catch {
            observability.health.modelFailed("\(error)")
            await observability.stop()
            throw ProcessorServiceError.unusable(error)
        }
        self.observability = observability
        self.configuration = configuration
        self.logger = logger
        onShutdownRequested = options.onShutdownRequested
    }

    /// Runs the processor until it is stopped (a graceful shutdown, ``stop()``, cancellation) or
    /// fails, then stops observability. A service runs once.
    ///
    /// - Throws: ``ProcessorServiceError/brokersUnreachable(_:)`` when no broker answered within
    ///   `kafka.connect_timeout`, ``ProcessorServiceError/processorFailed(_:)`` when the
    ///   processor had to stop.
    public func run() async throws {
        let reloading = ModelReloading(processor: processor, configuration: configuration, observability: observability, logger: logger)
        defer { reloading.cancel() }
        observability.health.processorStarted()
        let givingUp = observability.stoppingWhenBrokersGivenUp(logger: logger) { [processor] in processor.stop() }
        var failure: (any Error)?
        do {
            try await withGracefulShutdownHandler {
                try await processor.run()
            } onGracefulShutdown: { [processor, onShutdownRequested] in
                onShutdownRequested?()
                processor.stop()
            }
        } catch {
            failure = error
        }
        givingUp.cancel()
        let unreachable = await givingUp.value
        observability.health.processorStopped(error: failure)
        await observability.stop()
        if let unreachable { throw ProcessorServiceError.brokersUnreachable(unreachable) }
        if let failure { throw ProcessorServiceError.processorFailed(failure) }
    }

    /// Runs the service in a `ServiceGroup` that shuts it down gracefully on SIGTERM or SIGINT.
    ///
    /// - Throws: what ``run()`` throws.
    public func runUntilTerminated() async throws {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Asks the processor to stop consuming, finish and commit; ``run()`` returns once it has.
    public func stop() {
        processor.stop()
    }

    /// The processor's latest statistics.
    public var statistics: ProcessorStatistics { processor.statistics }
}
