import CRdKafka

/// Owns a librdkafka mock cluster and the client handle that hosts it.
///
/// `@unchecked Sendable`: the mock cluster runs on its own thread; its control functions post
/// commands to that thread and are safe from any thread. Nothing here mutates after `init`.
final class RDKafkaMockCluster: @unchecked Sendable {
    let handle: OpaquePointer
    /// The client the cluster lives in; it must outlive the cluster.
    private let host: RDKafkaClient

    init(brokers: Int) throws(KafkaError) {
        // The mock cluster needs a client to host its thread; an unconnected producer is enough.
        host = try RDKafkaClient(
            type: RD_KAFKA_PRODUCER,
            configuration: RDKafkaConfiguration(["log_level": "0"])
        )
        guard let handle = rd_kafka_mock_cluster_new(host.handle, Int32(brokers)) else {
            throw KafkaError(code: .invalidArgument, message: "cannot start a mock cluster of \(brokers) brokers")
        }
        self.handle = handle
        ListeningSockets.disableNagle(boundTo: Set(listenerPorts))
    }

    /// The brokers' loopback ports, from the bootstrap list (`127.0.0.1:port,…`).
    var listenerPorts: [UInt16] {
        String(cString: rd_kafka_mock_cluster_bootstraps(handle))
            .split(separator: ",")
            .compactMap { $0.split(separator: ":").last.flatMap { UInt16($0) } }
    }

    deinit {
        rd_kafka_mock_cluster_destroy(handle)
    }
}
