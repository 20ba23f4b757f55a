import SluiceKafka
import SluicePipeline
import Synchronization

/// Whether Sluice is alive (`/healthz`) and ready for work (`/readyz`), from what the command
/// line and the processor tell it.
///
/// Alive: the processor's loop has not stopped on an error, published its statistics (its
/// heartbeat, about every 50 ms) within ``livenessTimeout``, and is not wedged: input waiting for
/// its partitions while nothing moved for the stall timeout (``ProgressWatch``). Ready: the model is loaded, the
/// processor runs, the group has answered with an assignment (an empty one too: more instances
/// than partitions is legitimate), and the latest librdkafka statistics show a broker connected.
public final class ServiceHealth: Sendable {
    /// A verdict and, when negative, why.
    public struct Verdict: Sendable, Hashable {
        public var isPositive: Bool
        /// Why not, for a human; `nil` when positive.
        public var reason: String?
        /// Partitions assigned to this instance now.
        public var assignedPartitions: Int

        /// The response body: `{"status":"ok",…}` or `{"status":"unavailable","reason":"…",…}`.
        public var json: String {
            var fields = [#""status":"\#(isPositive ? "ok" : "unavailable")""#]
            if let reason { fields.append(#""reason":\#(JSONText.quoted(reason))"#) }
            fields.append(#""assigned_partitions":\#(assignedPartitions)"#)
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    enum ModelState: Sendable {
        case loading
        case loaded
        case failed(String)
    }

    enum ProcessorState: Sendable {
        case notStarted
        case running(heartbeat: ContinuousClock.Instant)
        case stopped(error: String?)
    }

    struct State: Sendable {
        var model = ModelState.loading
        var processor = ProcessorState.notStarted
        var hasAssignment = false
        var assignedPartitions = 0
        /// Per client type, whether its latest statistics showed a broker connected.
        var brokersReachable: [String: Bool] = [:]
        var progress: ProgressWatch
    }

    /// How long the loop may go without a heartbeat before it counts as wedged: longer than any
    /// legitimate wait inside it (a revoke or shutdown drains for up to the drain timeout).
    public let livenessTimeout: Duration
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    /// - Parameter stallTimeout: how long assigned partitions may make no progress while input
    ///   waits for them before the processor counts as wedged (``ProgressWatch``).
    public init(livenessTimeout: Duration = .seconds(60), stallTimeout: Duration = .seconds(120)) {
        self.livenessTimeout = livenessTimeout
        state = Mutex(State(progress: ProgressWatch(stallTimeout: stallTimeout)))
    }

    // MARK: - Told by the command line

    /// The model loaded.
    public func modelLoaded() {
        state.withLock { $0.model = .loaded }
    }

    /// The model could not be loaded, for `reason`.
    public func modelFailed(_ reason: String) {
        state.withLock { $0.model = .failed(reason) }
    }

    /// The processor's loop is starting.
    public func processorStarted() {
        let now = clock.now
        state.withLock { $0.processor = .running(heartbeat: now) }
    }

    /// The processor returned, after an error when `error` is given.
    public func processorStopped(error: (any Error)?) {
        state.withLock { $0.processor = .stopped(error: error.map { "\($0)" }) }
    }

    // MARK: - Told by the processor, through ``SluiceMetrics``

    func processorPublished(_ statistics: ProcessorStatistics) {
        let now = clock.now
        state.withLock { state in
            if case .running = state.processor { state.processor = .running(heartbeat: now) }
            state.assignedPartitions = statistics.assignedPartitions
            state.progress.published(statistics, now: now)
        }
    }

    func processorRebalanced(_ event: KafkaRebalanceEvent) {
        if case .assigned = event { state.withLock { $0.hasAssignment = true } }
    }

    func kafkaStatisticsArrived(_ statistics: KafkaStatistics) {
        let reachable = statistics.brokers.contains { $0.isUp && !$0.name.hasSuffix("/internal") }
        state.withLock { state in
            state.brokersReachable[statistics.type] = reachable
            if statistics.type == "consumer" { state.progress.consumerStatisticsArrived(statistics) }
        }
    }

    // MARK: - Verdicts

    /// `/healthz`.
    public func liveness() -> Verdict {
        let now = clock.now
        return state.withLock { state in
            switch state.processor {
            case .stopped(let error?):
                return state.verdict("the processor stopped on an error: \(error)")
            case .running(let heartbeat) where now - heartbeat > livenessTimeout:
                return state.verdict("the processor loop made no progress for \(now - heartbeat)")
            case .running:
                return state.verdict(state.progress.stall(now: now))
            default:
                return state.verdict(nil)
            }
        }
    }

    /// `/readyz`.
    public func readiness() -> Verdict {
        let alive = liveness()
        guard alive.isPositive else { return alive }
        return state.withLock { state in
            switch state.model {
            case .loading: return state.verdict("the model is not loaded yet")
            case .failed(let reason): return state.verdict("the model failed to load: \(reason)")
            case .loaded: break
            }
            switch state.processor {
            case .notStarted: return state.verdict("the processor has not started")
            case .stopped: return state.verdict("the processor has stopped")
            case .running: break
            }
            guard state.hasAssignment else { return state.verdict("waiting for the consumer group to assign partitions") }
            if let client = state.brokersReachable.keys.sorted().first(where: { state.brokersReachable[$0] == false }) {
                return state.verdict("the \(client) reaches no Kafka broker")
            }
            return state.verdict(nil)
        }
    }
}

extension ServiceHealth.State {
    func verdict(_ reason: String?) -> ServiceHealth.Verdict {
        ServiceHealth.Verdict(isPositive: reason == nil, reason: reason, assignedPartitions: assignedPartitions)
    }
}
