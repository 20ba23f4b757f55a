import Logging
import SluiceKafka
import Synchronization
import Testing

/// librdkafka's statistics reach the configured handler and parse.
struct StatisticsTests {
    @Test func aProducersStatisticsArriveWhileServingDeliveryReportsAndShowItsBrokerAndQueue() throws {
        let cluster = try MockKafkaCluster()
        try cluster.createTopic("stats", partitions: 2)
        let received = Mutex<[String]>([])
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.statisticsIntervalMilliseconds = 50
        configuration.statisticsHandler = { json in received.withLock { $0.append(json) } }
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let topic = try producer.topic(named: "stats")
        let value = Array("x".utf8)
        _ = try value.withUnsafeBytes { try producer.send(to: topic, partition: 1, key: nil, value: $0, token: 1) }
        var acknowledged = 0
        let deadline = ContinuousClock.now + .seconds(30)
        // Statistics come as events of the queue delivery reports are served from.
        while acknowledged == 0 || received.withLock({ $0.count }) < 2 {
            #expect(ContinuousClock.now < deadline, "no statistics within 30 s")
            guard ContinuousClock.now < deadline else { return }
            try producer.pollDeliveryReports(timeout: .milliseconds(20)) { if $0.isDelivered { acknowledged += 1 } }
        }
        let statistics = try KafkaStatistics(json: try #require(received.withLock { $0.last }))
        #expect(statistics.type == "producer")
        #expect(statistics.clusterBrokers.contains { $0.isUp }, "\(statistics.brokers)")
        #expect(statistics.partitions.contains { $0.topic == "stats" && $0.partition == 1 })
    }
}
