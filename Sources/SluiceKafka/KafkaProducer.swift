import CRdKafka
import Logging

/// Sends messages to Kafka and reports, for every one, whether the broker acknowledged it.
///
/// `send` copies the borrowed key, value and headers into librdkafka and returns at once; it never
/// blocks and never drops a message: when librdkafka's queue is full it returns
/// ``KafkaSendOutcome/queueFull`` and the caller serves delivery reports before trying again.
///
/// Delivery reports are not callbacks: they wait in the producer until the caller collects them in
/// batches with ``pollDeliveryReports(timeout:_:)``, on whichever thread owns the work they
/// conclude, so the caller's bookkeeping needs no locks. `pollDeliveryReports` and ``flush(timeout:_:)``
/// may block for their timeout: call them from a dedicated thread, not from Swift concurrency's
/// cooperative pool.
///
/// Releasing the producer abandons whatever is still in flight, without reports: call `flush`
/// first.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    var rdKafkaClient: RDKafkaClient { client }
    private let deliveryQueue: RDKafkaQueue
    private let logger: Logger
    private let statisticsHandler: (@Sendable (String) -> Void)?
    private let connectivityLog: KafkaConnectivityLog

    /// Connects a producer. Fails with an error naming the property librdkafka rejected.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let conf = try RDKafkaConfiguration(configuration.librdkafkaProperties)
        conf.withPointer { conf in
            // Delivery reports, client errors and statistics become events on the main queue,
            // which `pollDeliveryReports` drains in batches instead of one callback per message.
            let statistics = configuration.statisticsHandler == nil ? 0 : RD_KAFKA_EVENT_STATS
            rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | statistics))
        }
        RDKafkaCallbackContext.installLogging(on: conf)
        statisticsHandler = configuration.statisticsHandler
        connectivityLog = KafkaConnectivityLog(bootstrapServers: configuration.bootstrapServers, client: "producer", handler: nil, logger: logger)
        client = try RDKafkaClient(
            type: RD_KAFKA_PRODUCER,
            configuration: conf,
            callbackContext: RDKafkaCallbackContext(logger: logger, connectivityLog: connectivityLog)
        )
        deliveryQueue = RDKafkaQueue(mainQueueOf: client)
        self.logger = logger
    }

    /// Has `wakeup` signalled when delivery reports (or client errors) arrive while none wait
    /// to be collected, so the thread that collects them can wait for this producer and other
    /// clients at once. Call it once, before collecting.
    public func wake(_ wakeup: KafkaQueueWakeup) {
        deliveryQueue.wake(wakeup)
    }

    /// A handle for sending to `name`; open it once and reuse it, it saves a lookup per message.
    public func topic(named name: String) throws(KafkaError) -> KafkaProducerTopic {
        KafkaProducerTopic(try RDKafkaTopic(client: client, name: name))
    }

    /// Hands a message to librdkafka, copying `key`, `value` and `headers` before returning.
    ///
    /// - Parameters:
    ///   - topic: where to send it.
    ///   - partition: the partition, or `nil` to let the partitioner choose from the key.
    ///   - timestampMilliseconds: the record's timestamp (milliseconds since 1970), or `nil` for
    ///     now; passing one saves librdkafka reading the wall clock for every message.
    ///   - token: any value; it comes back in this message's ``KafkaDeliveryReport``.
    /// - Returns: ``KafkaSendOutcome/enqueued``, or ``KafkaSendOutcome/queueFull`` when the message
    ///   was not taken and must be sent again after serving delivery reports.
    /// - Throws: ``KafkaError`` when the message can never be sent (too large, unknown partition,
    ///   fatal producer error).
    public func send(
        to topic: KafkaProducerTopic,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = [],
        timestampMilliseconds: Int64? = nil,
        token: UInt64
    ) throws(KafkaError) -> KafkaSendOutcome {
        let error: OpaquePointer?
        if headers.isEmpty, timestampMilliseconds == nil {
            // rd_kafka_produce takes its arguments directly; without headers it is the cheaper call.
            let result = rd_kafka_produce(
                topic.rdKafkaTopic.handle, partition ?? RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                UnsafeMutableRawPointer(mutating: value?.baseAddress), value?.count ?? 0,
                key?.baseAddress, key?.count ?? 0,
                UnsafeMutableRawPointer(bitPattern: UInt(token))
            )
            guard result != 0 else { return .enqueued }
            let code = rd_kafka_last_error()
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL { return .queueFull }
            throw KafkaError(code, "cannot send to \"\(topic.name)\"")
        }
        error = withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7 + headers.count) { arguments in
            var count = 0
            func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                var argument = rd_kafka_vu_t()
                argument.vtype = type
                fill(&argument)
                arguments.initializeElement(at: count, to: argument)
                count += 1
            }
            append(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic.rdKafkaTopic.handle }
            append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition ?? RD_KAFKA_PARTITION_UA }
            append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
            append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token)) }
            if let timestampMilliseconds { append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestampMilliseconds } }
            if let key {
                append(RD_KAFKA_VTYPE_KEY) {
                    $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                    $0.u.mem.size = key.count
                }
            }
            if let value {
                append(RD_KAFKA_VTYPE_VALUE) {
                    $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    $0.u.mem.size = value.count
                }
            }
            return Self.withHeaderArguments(headers[...], appendingTo: arguments, count: count) { arguments, count in
                rd_kafka_produceva(client.handle, arguments.baseAddress, count)
            }
        }
        guard let error else { return .enqueued }
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return .queueFull
        }
        throw KafkaError(consuming: error, "cannot send to \"\(topic.name)\"")
    }

    /// Collects delivery reports, handing each to `report` on the calling thread, and returns how
    /// many it handed over. Statistics that arrived meanwhile go to the configuration's
    /// `statisticsHandler`, on this thread too.
    ///
    /// Waits up to `timeout` for the first batch of reports, then takes whatever else is ready
    /// without waiting. Blocks the calling thread for at most `timeout`.
    ///
    /// - Throws: ``KafkaError`` with `isFatal` when the producer hit a fatal error (for example an
    ///   idempotence sequence failure); it must then be recreated.
    @discardableResult
    public func pollDeliveryReports(
        timeout: Duration = .zero,
        _ report: (KafkaDeliveryReport) throws -> Void
    ) throws -> Int {
        var delivered = 0
        var waitMilliseconds = timeout.timeoutMilliseconds
        while let event = rd_kafka_queue_poll(deliveryQueue.handle, waitMilliseconds) {
            waitMilliseconds = 0
            defer { rd_kafka_event_destroy(event) }
            switch Int32(rd_kafka_event_type(event)) {
            case RD_KAFKA_EVENT_DR:
                while let message = rd_kafka_event_message_next(event) {
                    try report(Self.deliveryReport(of: message))
                    delivered += 1
                }
            case RD_KAFKA_EVENT_ERROR:
                try raiseIfFatal(event)
            case RD_KAFKA_EVENT_STATS:
                if let json = rd_kafka_event_stats(event) { statisticsHandler?(String(cString: json)) }
            default:
                break
            }
        }
        return delivered
    }

    /// Waits until every message sent so far has its delivery report, handing the reports to
    /// `report`, or until `timeout` passes. Blocks the calling thread.
    ///
    /// - Returns: `true` when nothing is left in flight, `false` on timeout.
    @discardableResult
    public func flush(timeout: Duration, _ report: (KafkaDeliveryReport) throws -> Void) throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while rd_kafka_outq_len(client.handle) > 0 {
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            try pollDeliveryReports(timeout: min(remaining, .milliseconds(100)), report)
        }
        return true
    }

    /// How many messages and requests are waiting to be sent or acknowledged, including delivery
    /// reports not yet collected.
    public var inFlightCount: Int { Int(rd_kafka_outq_len(client.handle)) }

    private func raiseIfFatal(_ event: OpaquePointer) throws(KafkaError) {
        let code = rd_kafka_event_error(event)
        if rd_kafka_event_error_is_fatal(event) != 0 {
            throw KafkaError.fatal(on: client) ?? KafkaError(code, "producer fatal error")
        }
        if connectivityLog.report(code: code, reason: String(cString: rd_kafka_event_error_string(event))) {
            return
        }
        logger.warning(
            "Kafka producer error",
            metadata: [
                "error": "\(KafkaError.Code(code).name)",
                "reason": "\(String(cString: rd_kafka_event_error_string(event)))",
            ]
        )
    }

    private static func deliveryReport(of message: UnsafePointer<rd_kafka_message_t>) -> KafkaDeliveryReport {
        KafkaDeliveryReport(
            token: UInt64(UInt(bitPattern: message.pointee._private)),
            partition: message.pointee.partition,
            offset: message.pointee.offset,
            errorCode: message.pointee.err,
            undeliveredMessage: message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaUndeliveredMessage(copying: message)
        )
    }

    /// Appends one `RD_KAFKA_VTYPE_HEADER` argument per header, with every header name copied as a C
    /// string into one temporary buffer that stays alive until `body` has run. A loop rather than
    /// one nested closure per header, so that the stack stays flat however many headers an input
    /// carries (the headers of an input are copied to its outputs).
    private static func withHeaderArguments<R>(
        _ headers: ArraySlice<KafkaHeader>,
        appendingTo arguments: UnsafeMutableBufferPointer<rd_kafka_vu_t>,
        count: Int,
        _ body: (UnsafeMutableBufferPointer<rd_kafka_vu_t>, Int) -> R
    ) -> R {
        let nameBytes = headers.reduce(0) { $0 + $1.name.utf8.count + 1 }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(nameBytes, 1)) { names in
            var count = count
            var nameStart = 0
            for header in headers {
                let name = names.baseAddress! + nameStart
                nameStart += copyUTF8(of: header.name, to: name)
                names[nameStart] = 0
                nameStart += 1
                var argument = rd_kafka_vu_t()
                argument.vtype = RD_KAFKA_VTYPE_HEADER
                argument.u.header.name = UnsafePointer(name)
                argument.u.header.val = header.value?.baseAddress
                argument.u.header.size = header.value.map { $0.count } ?? -1
                arguments.initializeElement(at: count, to: argument)
                count += 1
            }
            return body(arguments, count)
        }
    }

    /// Copies `string`'s UTF-8 bytes to `destination` (one copy for a native string, whose bytes
    /// are contiguous) and returns how many there are.
    @inline(__always)
    private static func copyUTF8(of string: String, to destination: UnsafeMutablePointer<CChar>) -> Int {
        let copied = string.utf8.withContiguousStorageIfAvailable { bytes in
            UnsafeMutableRawBufferPointer(start: destination, count: bytes.count).copyMemory(from: UnsafeRawBufferPointer(bytes))
            return bytes.count
        }
        if let copied { return copied }
        var count = 0
        for byte in string.utf8 {
            destination[count] = CChar(bitPattern: byte)
            count += 1
        }
        return count
    }
}

/// A topic opened for sending with ``KafkaProducer/topic(named:)``.
public final class KafkaProducerTopic: Sendable {
    let rdKafkaTopic: RDKafkaTopic

    init(_ topic: RDKafkaTopic) { rdKafkaTopic = topic }

    /// The topic's name.
    public var name: String { rdKafkaTopic.name }
}
