import Foundation
import Synchronization
import Testing
@testable import SluiceKafka

@Suite(.serialized) struct MessageBatchLifetimeTests {
    /// Holds what a helper thread works on; the test thread waits for it before reading back.
    final class Handover: @unchecked Sendable {
        var consumer: KafkaConsumer?
        let batch: KafkaMessageBatch
        weak var client: RDKafkaClient?

        init(consumer: KafkaConsumer, batch: KafkaMessageBatch) {
            self.consumer = consumer
            self.batch = batch
            client = consumer.rdKafkaClient
        }
    }

    /// Runs `body` on a thread of its own and reports whether it returned within `patience`: a
    /// hang fails the test instead of blocking it.
    func returnsInTime(_ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + .seconds(Int(patience.components.seconds))) == .success
    }

    @Test func aConsumerReleasedWhileItsBatchHoldsMessagesIsDestroyedOnceTheBatchLetsThemGo() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("pinned", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "pinned")
        for index in 0..<10 {
            try producer.send("pinned \(index)", to: topic, token: UInt64(index))
        }
        try expectAllDelivered(producer)
        let batch = KafkaMessageBatch(capacity: 100)
        // Made in a function of its own, so that the handover holds the only reference.
        func pollingConsumer() throws -> Handover {
            let consumer = try makeConsumer(cluster, group: "pinned")
            try consumer.subscribe(to: ["pinned"])
            try repeatUntil("polled messages", { !batch.isEmpty }) {
                try consumer.poll(into: batch, timeout: .milliseconds(50)) { _ in }
            }
            return Handover(consumer: consumer, batch: batch)
        }
        let handover = try pollingConsumer()

        #expect(returnsInTime { handover.consumer = nil }, "releasing the consumer returns while its messages are held")
        #expect(handover.client != nil, "the batch keeps the client alive while it holds the client's messages")
        #expect(String(decoding: batch[0].value, as: UTF8.self) == "pinned 0", "the messages stay readable")
        #expect(returnsInTime { handover.batch.release() }, "releasing the batch then destroys the client")
        #expect(handover.client == nil)
    }
}
