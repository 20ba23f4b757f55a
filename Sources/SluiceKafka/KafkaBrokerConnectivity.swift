import CRdKafka
import Logging
import Synchronization

/// A client could not reach Kafka: librdkafka reported a broker connection that failed
/// (`__TRANSPORT`), a broker address that did not resolve (`__RESOLVE`), or every broker down
/// (`__ALL_BROKERS_DOWN`). librdkafka keeps retrying; this says what it is retrying.
public struct KafkaBrokerConnectivityError: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A connection to a broker failed or was closed.
        case transport
        /// A broker's host name did not resolve.
        case resolve
        /// No broker of the cluster is reachable.
        case allBrokersDown
    }

    public var kind: Kind
    /// The brokers the client bootstraps from (`bootstrap.servers`), as configured.
    public var bootstrapServers: String
    /// The broker librdkafka named, e.g. `kafka-1:9092/1` or `127.0.0.1:9/bootstrap`, when it did.
    public var broker: String?
    /// librdkafka's reason, e.g. `Connect to ipv4#127.0.0.1:9 failed: Connection refused`.
    public var reason: String

    public init(kind: Kind, bootstrapServers: String, broker: String?, reason: String) {
        self.kind = kind
        self.bootstrapServers = bootstrapServers
        self.broker = broker
        self.reason = reason
    }

    /// The error for a librdkafka error event, or `nil` when the event is not about connectivity.
    init?(code: rd_kafka_resp_err_t, reason text: String, bootstrapServers: String) {
        switch code {
        case RD_KAFKA_RESP_ERR__TRANSPORT: kind = .transport
        case RD_KAFKA_RESP_ERR__RESOLVE: kind = .resolve
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN: kind = .allBrokersDown
        default: return nil
        }
        self.bootstrapServers = bootstrapServers
        // librdkafka starts a broker's messages with its name, `host:port/id: `.
        if let separator = text.range(of: ": "), text[..<separator.lowerBound].contains("/"), !text[..<separator.lowerBound].contains(" ") {
            broker = String(text[..<separator.lowerBound])
            reason = String(text[separator.upperBound...])
        } else {
            broker = nil
            reason = text
        }
    }

    public var description: String {
        switch kind {
        case .allBrokersDown: "no Kafka broker of \(bootstrapServers) is reachable (\(reason))"
        case .transport, .resolve: "cannot reach Kafka broker \(broker ?? bootstrapServers): \(reason)"
        }
    }
}

/// Logs a client's connectivity errors without flooding: the first one at once, then at most one
/// line per ``interval`` saying how many more arrived, and hands every error to the handler.
final class KafkaConnectivityLog: Sendable {
    private struct State {
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    let bootstrapServers: String
    /// Which client this is, in the log lines: `consumer`, `producer`.
    let client: String
    let interval: Duration
    private let handler: (@Sendable (KafkaBrokerConnectivityError) -> Void)?
    private let logger: Logger
    private let state = Mutex(State())

    init(
        bootstrapServers: String, client: String, interval: Duration = .seconds(30),
        handler: (@Sendable (KafkaBrokerConnectivityError) -> Void)?, logger: Logger
    ) {
        self.bootstrapServers = bootstrapServers
        self.client = client
        self.interval = interval
        self.handler = handler
        self.logger = logger
    }

    /// Reports the error event `code` with librdkafka's `reason`; false when it is not about
    /// connectivity.
    func report(code: rd_kafka_resp_err_t, reason: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let error = KafkaBrokerConnectivityError(code: code, reason: reason, bootstrapServers: bootstrapServers) else { return false }
        handler?(error)
        let suppressed: Int? = state.withLock { state in
            if let last = state.lastLogged, now - last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.lastLogged = now
            return state.suppressed
        }
        guard let suppressed else { return true }
        var metadata: Logger.Metadata = ["client": "\(client)", "error": "\(KafkaError.Code(code).name)"]
        if suppressed > 0 { metadata["similar_errors_since_last_line"] = "\(suppressed)" }
        logger.warning("\(error); retrying (this line repeats at most every \(interval))", metadata: metadata)
        return true
    }
}

extension RDKafkaCallbackContext {
    /// Sends the client's error callbacks to its connectivity log, or logs them as warnings.
    static func installErrors(on configuration: RDKafkaConfiguration) {
        configuration.withPointer { rd_kafka_conf_set_error_cb($0, errorCallback) }
    }

    func error(code: rd_kafka_resp_err_t, reason: String) {
        if connectivityLog?.report(code: code, reason: reason) == true { return }
        logger.warning("Kafka client error", metadata: ["error": "\(KafkaError.Code(code).name)", "reason": "\(reason)"])
    }
}

/// Runs on the thread that serves the client's queue (the consumer's poll).
private let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    _, code, reason, opaque in
    guard let opaque else { return }
    let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    context.error(code: rd_kafka_resp_err_t(rawValue: code), reason: reason.map { String(cString: $0) } ?? "")
}
