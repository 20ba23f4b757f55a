import Foundation

/// The end-to-end latency of scored events: per scored batch, its events' input timestamps wait
/// here until every output of the batch is acknowledged, then each event's latency (now less its
/// timestamp) is recorded. Timestamp arrays are reused, so steady state allocates nothing.
struct LatencyTracker {
    /// Per scored batch, oldest first: its events' input timestamps in milliseconds.
    private var awaited: [(batch: BatchID, timestamps: [Int64])] = []
    private var spares: [[Int64]] = []

    /// Remembers the input timestamps of `batch`'s events, just sent.
    mutating func await(_ batch: MicroBatch) {
        var timestamps = spares.popLast() ?? []
        for row in batch.rows {
            if let timestamp = row.timestampMilliseconds { timestamps.append(timestamp) }
        }
        awaited.append((batch.id, timestamps))
    }

    /// Records the latencies of `batch`, whose outputs are all acknowledged, into `histogram` and
    /// tells `observer`. A batch does not wait for earlier ones here.
    mutating func acknowledged(_ batch: BatchID, into histogram: inout LatencyHistogram, observer: (any ProcessorObserver)?) {
        // Batches usually finish in order: the one sought is at or near the front.
        guard let index = awaited.firstIndex(where: { $0.batch == batch }) else { return }
        let nowMicroseconds = Self.wallClockMicroseconds()
        observer?.processorAcknowledged(inputTimestampsMilliseconds: awaited[index].timestamps, acknowledgedAtMicroseconds: nowMicroseconds)
        for timestamp in awaited[index].timestamps {
            histogram.record(microseconds: nowMicroseconds - timestamp * 1000)
        }
        // Taken out rather than copied, so that emptying it keeps its buffer instead of
        // allocating a new one.
        var spare: [Int64] = []
        swap(&spare, &awaited[index].timestamps)
        spare.removeAll(keepingCapacity: true)
        spares.append(spare)
        awaited.remove(at: index)
    }

    /// Microseconds since 1970, the scale of Kafka's record timestamps.
    static func wallClockMicroseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
