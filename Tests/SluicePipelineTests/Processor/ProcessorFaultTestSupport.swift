import Foundation
import Logging
import SluiceKafka
import Synchronization
import Testing
@testable import SluicePipeline

/// Runs `body` on a thread of its own, so that a call blocking until the cluster answers (a
/// producer's flush during a broker outage) holds no thread of Swift concurrency's pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Keeps every log entry's message and metadata, so a test can wait for an event only a log line
/// announces (a client noticing that its broker went away).
final class LogRecorder: Sendable {
    private let entries = Mutex<[String]>([])

    /// A logger writing warnings and errors into this recorder.
    var logger: Logger {
        Logger(label: "sluice.processor.tests") { _ in Handler(recorder: self) }
    }

    /// Whether some entry's message or metadata contains `text`.
    func contains(_ text: String) -> Bool {
        entries.withLock { $0.contains { $0.contains(text) } }
    }

    fileprivate func record(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.record("\(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
        }
    }
}

/// The prediction ids read so far from `topic`, each as often as it was read: the predictions'
/// `sluice-prediction-id` headers, the audit records' values (they have no headers).
extension OutputReader {
    func predictionIDs(_ topic: String) -> [String] {
        self[topic].compactMap { topic == "audit" ? RecordEncoder.predictionID(inRecord: $0.value) : $0.header(RecordHeaderName.predictionID) }
    }

    /// Reads until every input has a prediction and an audit record.
    func readPredictionsAndAudits(of inputs: [InputCoordinates]) async throws {
        let expected = Set(inputs.map(\.predictionID))
        try await read(until: "a prediction and an audit record for each of \(inputs.count) inputs") { reader in
            Set(reader.predictionIDs("predictions")).isSuperset(of: expected) && Set(reader.predictionIDs("audit")).isSuperset(of: expected)
        }
    }
}

/// The next offset to read after each input partition's last input.
func partitionEnds(_ inputs: [InputCoordinates]) -> [Int32: Int64] {
    Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
}
