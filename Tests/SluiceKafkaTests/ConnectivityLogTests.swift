import CRdKafka
import Logging
@testable import SluiceKafka
import Synchronization
import Testing

/// Broker connection errors are all handed on, and logged without flooding.
struct ConnectivityLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct CapturingHandler: LogHandler {
        let lines: Lines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let count = event.metadata?["similar_errors_since_last_line"].map { " (+\($0))" } ?? ""
            lines.lines.withLock { $0.append("\(event.message)\(count)") }
        }
    }

    @Test func theFirstErrorIsLoggedAtOnceThenAtMostOneLinePerIntervalWithTheCountBetween() {
        let lines = Lines()
        let handed = Mutex(0)
        let log = KafkaConnectivityLog(
            bootstrapServers: "127.0.0.1:1", client: "consumer", interval: .seconds(30), handler: { _ in handed.withLock { $0 += 1 } },
            logger: Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        )
        let start = ContinuousClock.now
        let reason = "127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused"
        for second in [0, 1, 2, 29, 31] {
            #expect(log.report(code: RD_KAFKA_RESP_ERR__TRANSPORT, reason: reason, now: start + .seconds(second)))
        }
        #expect(!log.report(code: RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, reason: "other", now: start), "not about connectivity")

        #expect(handed.withLock { $0 } == 5)
        let expected = "cannot reach Kafka broker 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused; "
            + "retrying (this line repeats at most every 30.0 seconds)"
        #expect(lines.lines.withLock { $0 } == [expected, expected + " (+3)"])
    }
}
