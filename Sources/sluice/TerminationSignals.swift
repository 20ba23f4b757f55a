import Dispatch
import Foundation

/// SIGINT and SIGTERM as an asynchronous sequence of their names, instead of killing the process.
///
/// Listening starts when the sequence is made, and signals are buffered, so one arriving before
/// the first `next()` is not lost.
func terminationSignals() -> AsyncStream<String> {
    AsyncStream { continuation in
        let queue = DispatchQueue(label: "sluice.termination-signals")
        // Only the stream's termination handler touches the sources after this, to cancel them.
        nonisolated(unsafe) let sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            return source
        }
        continuation.onTermination = { _ in sources.forEach { $0.cancel() } }
    }
}

/// Calls `action` with the name of the first SIGINT or SIGTERM, on a task that the caller cancels
/// once it no longer needs to hear of one.
func onFirstTerminationSignal(_ action: @escaping @Sendable (String) -> Void) -> Task<Void, Never> {
    let signals = terminationSignals()
    return Task {
        for await signal in signals {
            action(signal)
            return
        }
    }
}
