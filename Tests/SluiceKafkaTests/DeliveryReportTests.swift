import SluiceKafka
import Testing

@Suite(.serialized) struct DeliveryReportTests {
    @Test func everyMessageGetsOneReportWithItsTokenIncludingFailedOnes() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("reports", partitions: 2)
        let producer = try makeProducer(cluster) { $0.messageTimeoutMilliseconds = 1_000 }
        let topic = try producer.topic(named: "reports")

        var reports: [UInt64: KafkaDeliveryReport] = [:]
        var duplicates = 0
        let collect = { (report: KafkaDeliveryReport) in
            if reports.updateValue(report, forKey: report.token) != nil { duplicates += 1 }
        }
        for token in UInt64(0)..<200 {
            try producer.send("delivered \(token)", to: topic, token: token, onReport: collect)
        }
        #expect(try producer.flush(timeout: patience, collect))
        #expect(reports.count == 200)
        #expect(reports.values.allSatisfy { $0.isDelivered })

        // With its only broker down, librdkafka gives up on these after message.timeout.ms and
        // must still report each of them, as a failure.
        try cluster.takeBrokerDown(1)
        for token in UInt64(1_000)..<1_010 {
            try producer.send("doomed \(token)", to: topic, token: token, onReport: collect)
        }
        try repeatUntil("reports for the doomed messages", { reports.count == 210 }) {
            try producer.pollDeliveryReports(timeout: .milliseconds(100), collect)
        }
        try cluster.bringBrokerUp(1)

        #expect(duplicates == 0)
        let failed = reports.values.filter { !$0.isDelivered }
        #expect(Set(failed.map(\.token)) == Set(1_000..<1_010))
        #expect(failed.map { $0.error?.code } == Array(repeating: .messageTimedOut, count: failed.count))
    }

    @Test func retriableProduceErrorsAreRetriedWithoutLossOrDuplicates() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("retried", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "retried")
        _ = try producer.partitionCount(of: topic, timeout: patience)
        cluster.pushRequestErrors([.notLeaderForPartition, .notEnoughReplicas, .notLeaderForPartition], for: .produce)
        for token in UInt64(0)..<50 {
            try producer.send("retried \(token)", to: topic, partition: 0, token: token)
        }
        try expectAllDelivered(producer)

        let reader = try makeConsumer(cluster, group: "unused")
        let watermarks = try reader.watermarks(for: KafkaTopicPartition(topic: "retried", partition: 0), timeout: patience)
        #expect(watermarks == KafkaWatermarks(low: 0, high: 50))
    }

    @Test func aFullQueueIsReportedAndNothingIsDropped() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("bounded", partitions: 1)
        let producer = try makeProducer(cluster) { $0.maxQueuedMessages = 10 }
        let topic = try producer.topic(named: "bounded")
        var queueFullSeen = false
        var reported: Set<UInt64> = []
        var nextToken: UInt64 = 0
        let value = Array("payload".utf8)
        try repeatUntil("100 messages accepted", { nextToken == 100 }) {
            let outcome = try value.withUnsafeBytes { bytes in
                try producer.send(to: topic, key: nil, value: bytes, token: nextToken)
            }
            switch outcome {
            case .enqueued:
                nextToken += 1
            case .queueFull:
                queueFullSeen = true
                try producer.pollDeliveryReports(timeout: .milliseconds(100)) { reported.insert($0.token) }
            }
        }
        #expect(try producer.flush(timeout: patience) { reported.insert($0.token) })
        #expect(queueFullSeen)
        #expect(reported == Set(0..<100))
    }

    @Test func aRejectedPropertyIsNamedInTheError() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["linger.ms"] = "soon"
        let error = try #require(throws: KafkaError.self) {
            try KafkaProducer(configuration: configuration, logger: quietLogger)
        }
        #expect(error.message.contains("linger.ms"))
        #expect(error.code == .invalidArgument)
    }
}
