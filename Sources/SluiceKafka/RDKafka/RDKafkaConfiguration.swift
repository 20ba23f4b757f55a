import CRdKafka

/// Owns an `rd_kafka_conf_t` until it is handed to `rd_kafka_new`.
///
/// Every property is checked by librdkafka as it is set, and a bad one is reported by name.
final class RDKafkaConfiguration {
    private var conf: OpaquePointer?

    /// Builds a configuration from `properties`, applied in key order so errors are stable.
    init(_ properties: [String: String]) throws(KafkaError) {
        conf = rd_kafka_conf_new()
        for key in properties.keys.sorted() {
            try set(key, properties[key]!)
        }
    }

    deinit {
        if let conf { rd_kafka_conf_destroy(conf) }
    }

    /// Sets one librdkafka property, failing with a message naming it when librdkafka rejects it.
    func set(_ key: String, _ value: String) throws(KafkaError) {
        let (result, reason) = withRDKafkaReason { rd_kafka_conf_set(conf, key, value, $0, $1) }
        guard result == RD_KAFKA_CONF_OK else {
            throw KafkaError(
                code: .invalidArgument,
                message: "librdkafka property \"\(key)\" = \"\(KafkaSecretProperty.printable(key, value: value))\": \(reason)"
            )
        }
    }

    /// Lends the configuration pointer for setting callbacks and event masks. Do not escape it.
    func withPointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try body(conf!)
    }

    /// Gives up ownership of the configuration, for `rd_kafka_new`.
    func take() -> OpaquePointer {
        defer { conf = nil }
        return conf!
    }
}
