import PassthroughReference
import Logging
import SluiceKafka
import SluiceTime

/// The same passthrough as `sluice_c_passthrough`, through SluiceKafka: batches consumed as a group
/// member, every message sent to each output topic, offsets stored only when all outputs of a batch
/// and of every batch before it are acknowledged, then a final synchronous commit.
struct SwiftPassthrough {
    var options: PassthroughOptions

    func run() throws -> PassthroughResult {
        let logger = Logger(label: "sluice.bench")
        let producer = try KafkaProducer(configuration: options.producerConfiguration, logger: logger)
        let consumer = try KafkaConsumer(configuration: options.consumerConfiguration, logger: logger)
        let outputs = try options.outputTopics.map { try producer.topic(named: $0) }
        for output in outputs {
            // Learn the output's leaders before the clock starts, as a long-running service would have.
            _ = try producer.partitionCount(of: output, timeout: .seconds(10))
        }
        try consumer.subscribe(to: [options.inputTopic])

        let ledger = BatchLedger(inputTopic: options.inputTopic, partitions: options.inputPartitions)
        let batch = KafkaMessageBatch(capacity: options.batchSize)
        var consumed = 0
        var produced = 0
        let clock = ContinuousClock()
        var started: ContinuousClock.Instant?
        let settle = { (report: KafkaDeliveryReport) throws in
            guard report.isDelivered else { throw report.error! }
            ledger.acknowledge(batch: report.token)
        }

        while consumed < options.events {
            if ledger.isFull {
                try producer.pollDeliveryReports(timeout: .milliseconds(100), settle)
                try consumer.storeOffsets(ledger.takeCompletedOffsets())
                continue
            }
            try consumer.poll(into: batch, timeout: .milliseconds(100)) { _ in }
            if batch.isEmpty {
                try producer.pollDeliveryReports(settle)
                try consumer.storeOffsets(ledger.takeCompletedOffsets())
                continue
            }
            if started == nil { started = clock.now }
            let token = ledger.open()
            for index in 0..<batch.count {
                let message = batch[index]
                ledger.consumed(partition: message.partition, nextOffset: message.nextOffset)
                for output in outputs {
                    while try producer.send(to: output, key: message.key, value: message.value, token: token) == .queueFull {
                        try producer.pollDeliveryReports(timeout: .milliseconds(10), settle)
                    }
                    ledger.sent()
                    produced += 1
                }
            }
            consumed += batch.count
            ledger.close()
            try producer.pollDeliveryReports(settle)
            try consumer.storeOffsets(ledger.takeCompletedOffsets())
        }
        while !ledger.isDrained {
            try producer.pollDeliveryReports(timeout: .milliseconds(100), settle)
            try consumer.storeOffsets(ledger.takeCompletedOffsets())
        }
        try consumer.commit()
        let seconds = started.map { clock.now - $0 } ?? .zero
        try consumer.close()
        return PassthroughResult(consumed: consumed, produced: produced, seconds: seconds.inSeconds)
    }
}

/// The passthrough's at-least-once bookkeeping: a ring of consumed batches, each with its count
/// of unacknowledged outputs and the next offset per input partition. A batch's offsets become
/// storable when it and every earlier batch have no outputs left in flight.
///
/// A class over manually allocated counters, shared by the loop and its delivery-report closure
/// without the exclusivity checks a captured `var` would cost per message.
final class BatchLedger {
    static let capacity = 512

    private let inputTopic: String
    private let partitions: Int
    private let pending: UnsafeMutablePointer<Int>
    private let nextOffsets: UnsafeMutablePointer<Int64>
    private var nextBatch: UInt64 = 0
    private var doneBatch: UInt64 = 0
    /// The slot of the batch being filled.
    private var slot = 0

    init(inputTopic: String, partitions: Int) {
        self.inputTopic = inputTopic
        self.partitions = partitions
        pending = .allocate(capacity: Self.capacity)
        pending.initialize(repeating: 0, count: Self.capacity)
        nextOffsets = .allocate(capacity: Self.capacity * partitions)
        nextOffsets.initialize(repeating: -1, count: Self.capacity * partitions)
    }

    deinit {
        pending.deallocate()
        nextOffsets.deallocate()
    }

    var isFull: Bool { nextBatch - doneBatch == UInt64(Self.capacity) }
    var isDrained: Bool { doneBatch == nextBatch }

    /// Starts the batch being filled and returns its token for the delivery reports.
    func open() -> UInt64 {
        slot = Int(nextBatch % UInt64(Self.capacity))
        pending[slot] = 0
        (nextOffsets + slot * partitions).update(repeating: -1, count: partitions)
        return nextBatch
    }

    func consumed(partition: Int32, nextOffset: Int64) {
        nextOffsets[slot * partitions + Int(partition)] = nextOffset
    }

    func sent() {
        pending[slot] += 1
    }

    func close() {
        nextBatch += 1
    }

    func acknowledge(batch: UInt64) {
        pending[Int(batch % UInt64(Self.capacity))] -= 1
    }

    /// The offsets of every leading batch now complete, oldest first (later ones win per partition).
    func takeCompletedOffsets() -> [KafkaPartitionOffset] {
        var offsets: [KafkaPartitionOffset] = []
        while doneBatch < nextBatch, pending[Int(doneBatch % UInt64(Self.capacity))] == 0 {
            let base = Int(doneBatch % UInt64(Self.capacity)) * partitions
            for partition in 0..<partitions where nextOffsets[base + partition] >= 0 {
                offsets.append(KafkaPartitionOffset(topic: inputTopic, partition: Int32(partition), offset: nextOffsets[base + partition]))
            }
            doneBatch += 1
        }
        return offsets
    }
}
