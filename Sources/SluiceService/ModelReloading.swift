import Dispatch
import Foundation
import Logging
import SluiceObservability
import SluicePipeline

/// What asks a running processor to reload its model: a change of the model file
/// (`model.watch_interval_ms`), SIGHUP, and `POST /model/reload`. ``ProcessorService`` starts it
/// with the processor and cancels it once the processor has returned.
struct ModelReloading {
    let reloader: ModelReloader
    private let tasks: [Task<Void, Never>]

    init(processor: Processor, configuration: SluiceConfiguration, observability: Observability, logger: Logger) {
        reloader = ModelReloader(
            configuration: configuration, holder: processor.models, observer: observability.metrics?.models, logger: logger
        )
        observability.modelReload.connect(reloader)
        var tasks = [Self.onHangUp { [reloader] in _ = await reloader.reload(.signal) }]
        if configuration.model.watchIntervalMilliseconds > 0 {
            tasks.append(ModelFileWatcher.start(reloader, every: .milliseconds(configuration.model.watchIntervalMilliseconds)))
        }
        self.tasks = tasks
    }

    func cancel() {
        tasks.forEach { $0.cancel() }
    }

    /// Calls `action` on every SIGHUP, which no longer ends the process, until cancelled.
    private static func onHangUp(_ action: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let signals = AsyncStream<Void> { continuation in
            signal(SIGHUP, SIG_IGN)
            // Only the stream's termination handler touches the source after this, to cancel it.
            nonisolated(unsafe) let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "sluice.reload-signal"))
            source.setEventHandler { continuation.yield() }
            source.resume()
            continuation.onTermination = { _ in source.cancel() }
        }
        return Task {
            for await _ in signals { await action() }
        }
    }
}
