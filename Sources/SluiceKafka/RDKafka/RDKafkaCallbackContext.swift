import CRdKafka
import Logging

/// The object every client's callbacks reach through librdkafka's opaque pointer; at minimum it
/// carries the injected logger that librdkafka's own log lines go to.
///
/// `@unchecked Sendable`: the logger is immutable and `Logger` is thread-safe; subclasses document
/// their own state.
class RDKafkaCallbackContext: @unchecked Sendable {
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Sends librdkafka's log lines to `logger` instead of standard error.
    static func installLogging(on configuration: RDKafkaConfiguration) {
        configuration.withPointer { rd_kafka_conf_set_log_cb($0, logCallback) }
    }
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
    context.logger.log(
        level: swiftLevel,
        "\(text.map { String(cString: $0) } ?? "")",
        metadata: ["librdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")"]
    )
}
