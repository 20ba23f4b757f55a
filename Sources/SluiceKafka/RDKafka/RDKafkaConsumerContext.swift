import CRdKafka
import Logging

/// The Swift state librdkafka's consumer callbacks reach through their opaque pointer: the
/// rebalance handler of the poll in progress, and the first error a callback could not throw.
///
/// `@unchecked Sendable`: librdkafka runs these callbacks only on the thread inside
/// `rd_kafka_consume_batch_queue` or `rd_kafka_consumer_close`, and ``KafkaConsumer`` lets one
/// thread at a time into those calls and sets the fields only around them.
final class RDKafkaConsumerContext: RDKafkaCallbackContext, @unchecked Sendable {
    /// The handler of the poll or close in progress; `nil` outside them.
    var rebalanceHandler: ((KafkaRebalanceEvent) -> Void)?
    /// An error raised inside a callback, thrown by the poll that ran it.
    var failure: KafkaError?
    /// Told the result of every offset commit that had offsets to commit.
    let commitHandler: (@Sendable (KafkaError?) -> Void)?

    /// Told every offset reset librdkafka logs, on librdkafka's threads.
    let offsetResetHandler: (@Sendable (KafkaOffsetReset) -> Void)?
    /// Whether the configured assignment strategy is cooperative: the rebalance protocol to follow
    /// when librdkafka cannot say which one the group uses (it answers nothing once the consumer
    /// is closing, as when it is closed by its deinitializer).
    let isCooperativeByConfiguration: Bool

    init(
        logger: Logger,
        statisticsHandler: (@Sendable (String) -> Void)?,
        commitHandler: (@Sendable (KafkaError?) -> Void)?,
        offsetResetHandler: (@Sendable (KafkaOffsetReset) -> Void)? = nil,
        connectivityLog: KafkaConnectivityLog? = nil,
        isCooperativeByConfiguration: Bool
    ) {
        self.commitHandler = commitHandler
        self.offsetResetHandler = offsetResetHandler
        self.isCooperativeByConfiguration = isCooperativeByConfiguration
        super.init(logger: logger, statisticsHandler: statisticsHandler, connectivityLog: connectivityLog)
    }

    override func log(level: Logger.Level, facility: String, text: String) {
        super.log(level: level, facility: facility, text: text)
        if facility == "OFFSET", let offsetResetHandler, let reset = KafkaOffsetReset(logLine: text) {
            offsetResetHandler(reset)
        }
    }

    /// Installs the callbacks on `configuration`.
    static func install(on configuration: RDKafkaConfiguration) {
        installLogging(on: configuration)
        installStatistics(on: configuration)
        installErrors(on: configuration)
        configuration.withPointer { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
            rd_kafka_conf_set_offset_commit_cb(conf, offsetCommitCallback)
        }
    }

    /// Applies a rebalance: assigns (eager) or incrementally assigns (cooperative) added
    /// partitions and then tells the handler; tells the handler about revoked or lost partitions
    /// and then releases them, so their work can be finished first.
    func rebalance(
        _ client: OpaquePointer,
        _ reason: rd_kafka_resp_err_t,
        _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        let isCooperative = rd_kafka_rebalance_protocol(client).map { String(cString: $0) == "COOPERATIVE" } ?? isCooperativeByConfiguration
        let partitions = RDKafkaTopicPartitionList.partitions(in: list)
        switch reason {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if isCooperative {
                record(rd_kafka_incremental_assign(client, list), "cannot assign \(partitions)")
            } else {
                record(rd_kafka_assign(client, list), "cannot assign \(partitions)")
            }
            rebalanceHandler?(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            rebalanceHandler?(rd_kafka_assignment_lost(client) != 0 ? .lost(partitions) : .revoked(partitions))
            if isCooperative {
                record(rd_kafka_incremental_unassign(client, list), "cannot unassign \(partitions)")
            } else {
                record(rd_kafka_assign(client, nil), "cannot unassign \(partitions)")
            }
        default:
            record(KafkaError(reason, "rebalance failed"))
            record(rd_kafka_assign(client, nil), "cannot unassign after a failed rebalance")
        }
    }

    private func record(_ error: OpaquePointer?, _ context: @autoclosure () -> String) {
        guard let error else { return }
        record(KafkaError(consuming: error, context()))
    }

    private func record(_ code: rd_kafka_resp_err_t, _ context: @autoclosure () -> String) {
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        record(KafkaError(code, context()))
    }

    private func record(_ error: KafkaError) {
        logger.error("Kafka consumer rebalance error", metadata: ["error": "\(error)"])
        if failure == nil { failure = error }
    }
}

private let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { client, reason, list, opaque in
    let context = Unmanaged<RDKafkaConsumerContext>.fromOpaque(opaque!).takeUnretainedValue()
    context.rebalance(client!, reason, list!)
}

/// Tells the commit handler every commit's result and logs failed background and asynchronous
/// commits; synchronous commits also report their own result to their caller.
private let offsetCommitCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { _, result, list, opaque in
    guard result != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
    let context = Unmanaged<RDKafkaConsumerContext>.fromOpaque(opaque!).takeUnretainedValue()
    guard result != RD_KAFKA_RESP_ERR_NO_ERROR else {
        context.commitHandler?(nil)
        return
    }
    context.commitHandler?(KafkaError(result, "commit"))
    let partitions = list.map { RDKafkaTopicPartitionList.partitions(in: $0) } ?? []
    context.logger.warning(
        "Kafka offset commit failed",
        metadata: ["error": "\(KafkaError(result, "commit"))", "partitions": "\(partitions)"]
    )
}
