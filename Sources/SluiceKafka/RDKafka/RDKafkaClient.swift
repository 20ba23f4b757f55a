import CRdKafka

/// Owns one `rd_kafka_t` handle and destroys it when released.
///
/// `@unchecked Sendable`: librdkafka documents `rd_kafka_t` as thread-safe, and this class holds no
/// mutable Swift state: the handle and the callback context are set once. The context's own
/// thread-safety is its owner's to document.
final class RDKafkaClient: @unchecked Sendable {
    /// The handle; valid for the lifetime of this object. Do not destroy it.
    let handle: OpaquePointer
    /// The object librdkafka's callbacks receive as their opaque pointer; released only after the
    /// handle is destroyed, because destroying a consumer may still run its callbacks.
    private let callbackContext: AnyObject?

    /// Creates a client of `type` from `configuration`, which is consumed. When given,
    /// `callbackContext` is installed as the callbacks' opaque pointer and kept alive as long as
    /// the handle.
    init(
        type: rd_kafka_type_t,
        configuration: RDKafkaConfiguration,
        callbackContext: AnyObject? = nil
    ) throws(KafkaError) {
        if let callbackContext {
            configuration.withPointer { rd_kafka_conf_set_opaque($0, Unmanaged.passUnretained(callbackContext).toOpaque()) }
        }
        self.callbackContext = callbackContext
        let conf = configuration.take()
        let (created, reason) = withRDKafkaReason { rd_kafka_new(type, conf, $0, $1) }
        guard let handle = created else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .invalidArgument, message: "cannot create the Kafka client: \(reason)")
        }
        self.handle = handle
    }

    deinit {
        rd_kafka_destroy(handle)
    }

    /// The client's name, such as `rdkafka#producer-1`.
    var name: String { String(cString: rd_kafka_name(handle)) }
}
