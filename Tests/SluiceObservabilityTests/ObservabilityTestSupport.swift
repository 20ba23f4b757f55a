import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SluiceKafka
import SluiceModel
import SluicePipeline
import Synchronization
import Testing

/// The package's root, from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let silentLogger = Logger(label: "sluice.observability.tests") { _ in SwiftLogNoOpLogHandler() }

/// The longest any condition may take before a test fails instead of hanging.
let patience: Duration = .seconds(60)

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// An embedded cluster with the processor's topics: `events` (3 partitions), `predictions`,
/// `audit` and `events.dlq`.
func makeCluster() throws -> MockKafkaCluster {
    let cluster = try MockKafkaCluster()
    try cluster.createTopic("events", partitions: 3)
    try cluster.createTopic("predictions", partitions: 2)
    try cluster.createTopic("audit", partitions: 2)
    try cluster.createTopic("events.dlq", partitions: 1)
    return cluster
}

/// The demo's fraud features and model, fast group timings, an ephemeral HTTP port, and
/// librdkafka statistics every 100 ms.
func makeConfiguration(_ cluster: MockKafkaCluster, group: String) throws -> SluiceConfiguration {
    try SluiceConfiguration.parse(
        yaml: """
            kafka:
              bootstrap: '\(cluster.bootstrapServers)'
              group: \(group)
              commit_interval_ms: 100
              properties: {heartbeat.interval.ms: '100', session.timeout.ms: '6000'}
            features:
              - {path: amount}
              - {path: features, length: 16}
              - {path: merchant_risk, default: 0}
              - {path: hour}
              - {path: account_age_days}
            model: {path: \(packageRoot.path)/Models/fraud-mlp.onnx, name: fraud, version: "1"}
            batching: {max_size: 32, max_delay_ms: 1}
            http: {listen: '127.0.0.1:0'}
            """
    )
}

/// A valid event for the fraud model, deterministic in `index`.
func fraudEvent(_ index: Int) -> String {
    let features = (0..<16).map { String(format: "%.3f", sin(Double(index * 16 + $0))) }.joined(separator: ",")
    return #"{"amount":\#(10 + index % 500).5,"features":[\#(features)],"hour":\#(index % 24),"account_age_days":\#(index % 900)}"#
}

/// Produces `payloads` to `events` round-robin over its 3 partitions and waits for every
/// acknowledgement.
func produceEvents(_ payloads: [String], to cluster: MockKafkaCluster) throws {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.lingerMilliseconds = 1
    let producer = try KafkaProducer(configuration: configuration, logger: silentLogger)
    let topic = try producer.topic(named: "events")
    var delivered = 0
    let record: (KafkaDeliveryReport) -> Void = { if $0.isDelivered { delivered += 1 } }
    for (index, payload) in payloads.enumerated() {
        let value = Array(payload.utf8)
        while try value.withUnsafeBytes({ try producer.send(to: topic, partition: Int32(index % 3), key: nil, value: $0, token: UInt64(index)) }) == .queueFull {
            try producer.pollDeliveryReports(timeout: .milliseconds(10), record)
        }
    }
    guard try producer.flush(timeout: patience, record), delivered == payloads.count else {
        throw TimedOut(description: "producing the events: \(delivered) of \(payloads.count) acknowledged")
    }
}

/// An HTTP response as Foundation's URLSession (libcurl underneath) received it.
struct HTTPReply {
    var status: Int
    var contentType: String?
    var body: String
}

/// `GET http://127.0.0.1:<port><path>` through a real HTTP client.
func get(_ path: String, port: Int) async throws -> HTTPReply {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    let http = response as! HTTPURLResponse
    return HTTPReply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: String(decoding: data, as: UTF8.self))
}

/// Scrapes `/metrics` until `condition` holds of the parsed samples, failing after ``patience``.
/// For conditions on metrics, which no event announces.
@discardableResult
func scrape(port: Int, until what: String, _ condition: (PrometheusSamples) -> Bool) async throws -> PrometheusSamples {
    let deadline = ContinuousClock.now + patience
    while true {
        let samples = PrometheusSamples(try await get("/metrics", port: port).body)
        if condition(samples) { return samples }
        guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out scraping until \(what); last scrape:\n\(samples.text)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// The samples of a Prometheus text exposition, by series (`name{label="value",…}` as written).
struct PrometheusSamples {
    let text: String
    private(set) var values: [String: Double] = [:]

    init(_ text: String) {
        self.text = text
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
    }

    subscript(series: String) -> Double? { values[series] }

    /// The series of metric `name` whose labels include all of `labels`.
    func series(_ name: String, _ labels: [String: String] = [:]) -> [String: Double] {
        values.filter { key, _ in
            guard key == name || key.hasPrefix(name + "{") else { return false }
            return labels.allSatisfy { key.contains("\($0.key)=\"\($0.value)\"") }
        }
    }

    /// The one series of `name` with `labels`; `nil` when absent.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = series(name, labels)
        return found.count == 1 ? found.first!.value : nil
    }
}

/// Collects log lines for tests.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined() } }
}

/// Every `sluice_…` metric name the Grafana dashboard queries, as exported (histogram series
/// keep their `_bucket`, `_sum` or `_count` suffix).
func dashboardMetricNames() throws -> Set<String> {
    let dashboard = try String(contentsOf: packageRoot.appendingPathComponent("Docker/grafana/dashboards/sluice.json"), encoding: .utf8)
    let pattern = try NSRegularExpression(pattern: "sluice_[a-z0-9_]+")
    let range = NSRange(dashboard.startIndex..., in: dashboard)
    return Set(pattern.matches(in: dashboard, range: range).map { String(dashboard[Range($0.range, in: dashboard)!]) })
}
