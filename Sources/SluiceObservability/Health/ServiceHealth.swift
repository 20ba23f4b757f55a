import SluiceKafka
import SluicePipeline
import Synchronization

/// Whether Sluice is alive (`/healthz`) and ready for work (`/readyz`), from what the command
/// line and the processor tell it.
///
/// Alive: the processor's loop has not stopped on an error, published its statistics (its
/// heartbeat, about every 50 ms) within ``livenessTimeout``, and is not wedged: input waiting for
/// its partitions while nothing moved for the stall timeout (``ProgressWatch``). Ready: the model
/// is loaded, the processor runs, no broker connection error is outstanding, the group has
/// answered with an assignment (an empty one too: more instances than partitions is legitimate),
/// and the latest librdkafka statistics show a broker connected.
///
/// Unreachable brokers: readiness names them as soon as the consumer reports them. Liveness turns
/// negative when no broker has answered within ``connectTimeout`` of the processor's start, which
/// is when `sluice run` gives up (``brokersGivenUp``).
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
            if let reason { fields.append(#""reason":\#(JSONString.quoted(reason))"#) }
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
        /// When the processor started, for ``ServiceHealth/connectTimeout``.
        var startedAt: ContinuousClock.Instant?
        /// Whether a broker has answered since the start: an assignment came, or statistics
        /// showed one up.
        var hasReachedBroker = false
        /// The latest connection error since a broker last answered.
        var connectivityError: KafkaBrokerConnectivityError?
    }

    /// How long the loop may go without a heartbeat before it counts as wedged: longer than any
    /// legitimate wait inside it (a revoke or shutdown drains for up to the drain timeout).
    public let livenessTimeout: Duration
    /// How long after the processor's start a broker must have answered (`kafka.connect_timeout`);
    /// `nil` for no limit.
    public let connectTimeout: Duration?
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    /// - Parameters:
    ///   - stallTimeout: how long assigned partitions may make no progress while input waits for
    ///     them before the processor counts as wedged (``ProgressWatch``).
    ///   - connectTimeout: how long after the start a broker must have answered; `nil` for ever.
    public init(livenessTimeout: Duration = .seconds(60), stallTimeout: Duration = .seconds(120), connectTimeout: Duration? = nil) {
        self.livenessTimeout = livenessTimeout
        self.connectTimeout = connectTimeout
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
        state.withLock {
            $0.processor = .running(heartbeat: now)
            $0.startedAt = now
        }
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
        guard case .assigned = event else { return }
        state.withLock { state in
            state.hasAssignment = true
            state.brokerAnswered()
        }
    }

    func kafkaStatisticsArrived(_ statistics: KafkaStatistics) {
        let reachable = statistics.brokers.contains { $0.isUp && !$0.name.hasSuffix("/internal") }
        state.withLock { state in
            state.brokersReachable[statistics.type] = reachable
            if statistics.type == "consumer" { state.progress.consumerStatisticsArrived(statistics) }
            if reachable { state.brokerAnswered() }
        }
    }

    func kafkaBrokerUnreachable(_ error: KafkaBrokerConnectivityError) {
        state.withLock { $0.connectivityError = error }
    }

    /// Why Sluice gives up: no broker has answered within ``connectTimeout`` of the processor's
    /// start, and the consumer reported why; `nil` while there is no reason to give up.
    public var brokersGivenUp: String? {
        guard let connectTimeout else { return nil }
        let now = clock.now
        return state.withLock { state in
            guard !state.hasReachedBroker, let error = state.connectivityError, let startedAt = state.startedAt,
                now - startedAt >= connectTimeout
            else { return nil }
            return "no Kafka broker answered within kafka.connect_timeout (\(connectTimeout)); the last error: \(error)"
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
                break
            }
            return state.verdict(nil)
        }
        .givingUp(brokersGivenUp)
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
            // Once a broker has answered, one broker going away is the cluster's business: only
            // all of them down makes this instance unable to work.
            if let error = state.connectivityError, !state.hasReachedBroker || error.kind == .allBrokersDown {
                return state.verdict("\(error)")
            }
            guard state.hasAssignment else { return state.verdict("waiting for the consumer group to assign partitions") }
            if let client = state.brokersReachable.keys.sorted().first(where: { state.brokersReachable[$0] == false }) {
                return state.verdict("the \(client) reaches no Kafka broker")
            }
            return state.verdict(nil)
        }
    }
}

extension ServiceHealth.Verdict {
    /// This verdict, or a negative one for `reason` when there is one.
    func givingUp(_ reason: String?) -> Self {
        guard let reason, isPositive else { return self }
        return Self(isPositive: false, reason: reason, assignedPartitions: assignedPartitions)
    }
}

extension ServiceHealth.State {
    mutating func brokerAnswered() {
        hasReachedBroker = true
        connectivityError = nil
    }

    func verdict(_ reason: String?) -> ServiceHealth.Verdict {
        ServiceHealth.Verdict(isPositive: reason == nil, reason: reason, assignedPartitions: assignedPartitions)
    }
}
