import SluiceKafka

/// Where a ``Processor``'s loop writes its records: a producer it hands records to, each with
/// its ledger token, and serves delivery reports from. Sluice runs on ``KafkaProducer``; tests
/// drive the real loop over an in-memory sink.
///
/// The loop calls it only from its own thread.
protocol RecordSink: AnyObject, Sendable {
    associatedtype Topic: SinkTopic

    /// A handle on the topic `name`, made once and used for every record sent to it.
    func topic(named name: String) throws(KafkaError) -> Topic

    /// Takes a record to send (copying its bytes) or answers ``KafkaSendOutcome/queueFull``
    /// without taking it. Every record taken gets exactly one delivery report, carrying `token`.
    func send(
        to topic: Topic,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?,
        token: UInt64
    ) throws(KafkaError) -> KafkaSendOutcome

    /// Sends a record that was not delivered once more, with its token.
    func send(_ message: KafkaUndeliveredMessage) throws(KafkaError) -> KafkaSendOutcome

    /// Hands the delivery reports that arrived to `report`, waiting up to `timeout` for the first;
    /// returns how many.
    @discardableResult
    func pollDeliveryReports(timeout: Duration, _ report: (KafkaDeliveryReport) throws -> Void) throws -> Int

    /// Has `wakeup` signalled when delivery reports arrive while none wait to be served.
    func wake(_ wakeup: KafkaQueueWakeup)
}

/// A topic records are sent to.
protocol SinkTopic {
    var name: String { get }
}

extension KafkaProducer: RecordSink {}

extension KafkaProducerTopic: SinkTopic {}
