import CRdKafka
import Logging

/// The object every client's callbacks reach through librdkafka's opaque pointer; at minimum it
/// carries the injected logger that librdkafka's own log lines go to, and where its statistics go.
///
/// `@unchecked Sendable`: the logger and the statistics handler are immutable, `Logger` is
/// thread-safe and the handler is `@Sendable`; subclasses document their own state.
class RDKafkaCallbackContext: @unchecked Sendable {
    let logger: Logger
    let statisticsHandler: (@Sendable (String) -> Void)?
    /// Reports the client's broker connection errors, throttled; `nil` to leave them to
    /// librdkafka's own log lines.
    let connectivityLog: KafkaConnectivityLog?

    init(logger: Logger, statisticsHandler: (@Sendable (String) -> Void)? = nil, connectivityLog: KafkaConnectivityLog? = nil) {
        self.logger = logger
        self.statisticsHandler = statisticsHandler
        self.connectivityLog = connectivityLog
    }

    /// Receives each of librdkafka's log lines, on librdkafka's threads: logs it. Subclasses that
    /// look for particular lines call this too.
    func log(level: Logger.Level, facility: String, text: String) {
        // A failed connection (FAIL) is also an error event, which the connectivity log reports.
        let level = facility == "FAIL" && connectivityLog != nil ? .debug : level
        logger.log(level: level, "\(text)", metadata: ["librdkafka.facility": "\(facility)"])
    }

    /// Sends librdkafka's log lines to `logger` instead of standard error.
    static func installLogging(on configuration: RDKafkaConfiguration) {
        configuration.withPointer { rd_kafka_conf_set_log_cb($0, logCallback) }
    }

    /// Hands librdkafka's statistics JSON to the context's handler, on the thread that polls the
    /// client's main queue.
    static func installStatistics(on configuration: RDKafkaConfiguration) {
        configuration.withPointer { rd_kafka_conf_set_stats_cb($0, statisticsCallback) }
    }
}

/// Copies the JSON for the handler; returning 0 lets librdkafka free its buffer.
private let statisticsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32 = {
    _, json, length, opaque in
    guard let json, let opaque else { return 0 }
    let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    let text = String(decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self)
    context.statisticsHandler?(text)
    return 0
}

/// Runs on librdkafka's threads; syslog levels map onto swift-log's.
private let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    client, level, facility, text in
    guard let client, let opaque = rd_kafka_opaque(client) else { return }
    let context = Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    let swiftLevel: Logger.Level =
        switch level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    context.log(level: swiftLevel, facility: facility.map { String(cString: $0) } ?? "", text: text.map { String(cString: $0) } ?? "")
}
