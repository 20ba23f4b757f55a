/// Everything a Sluice processor needs, as in its YAML configuration file (README, "Configuration
/// reference"). Every field has a default; ``load(path:overrides:environment:)`` and
/// ``parse(yaml:overrides:environment:readFile:)`` reject invalid values with a message naming the
/// field.
public struct SluiceConfiguration: Sendable, Hashable {
    /// `kafka:` — the cluster and consumer group.
    public struct Kafka: Sendable, Hashable {
        /// Comma-separated `host:port` brokers.
        public var bootstrap = "localhost:9092"
        /// The consumer group; instances with the same group share the input's partitions.
        public var group = "sluice"
        /// How often stored offsets are committed in the background, in milliseconds
        /// (librdkafka's `auto.commit.interval.ms`): a crash redoes at most about this much input
        /// plus what was in flight. Each commit is one request per group coordinator; at 200 ms
        /// their cost is not measurable against 1 s, while 10 ms takes about a third more CPU per
        /// event. The first offsets acknowledged after an assignment are committed at once.
        public var commitIntervalMilliseconds = 200
        /// librdkafka properties passed as they are (`security.protocol`, `sasl.*`, `ssl.*`, …).
        /// Values may reference secrets: `${ENV_VAR}` or `${file:/run/secrets/name}`.
        public var properties: [String: String] = [:]
        /// How long `sluice run` waits for a first broker to answer before it gives up and exits
        /// (status 3); `nil` (`0` or `off` in the file) to wait for ever. Once a broker has
        /// answered, later outages are ridden out: librdkafka reconnects.
        public var connectTimeout: Duration? = .seconds(60)

        public init() {}
    }

    /// `input:` — what is consumed.
    public struct Input: Sendable, Hashable {
        public var topics = ["events"]
        public var format = InputFormat.json
        /// For `avro` without a registry: the writer's schema file (`.avsc`); for `protobuf`: the
        /// descriptor set (`protoc --include_imports --descriptor_set_out`). Events are then bare
        /// records, without the Schema Registry framing.
        public var schema: String?
        /// For `protobuf`: the full name of the events' message type, e.g. `sluice.demo.Transaction`.
        public var message: String?
        /// For `avro` with the Schema Registry wire format: the registry that has the schemas.
        public var schemaRegistry: SchemaRegistryClient.Settings?
        /// For `avro` and `protobuf` with a local `schema`: whether each event starts with the
        /// Schema Registry wire format's header (`input.framing`). Always so with a registry.
        public var framing = InputFraming.bare

        public init() {}
    }

    /// How Avro and Protobuf events are framed: `bare` (the record or message alone), or
    /// `confluent` (the Schema Registry wire format's magic byte and schema id first, and for
    /// Protobuf the message-index list). With a local schema, the header's magic byte and
    /// message-index list are checked (`invalid_wire_format`) but its schema id is not: every
    /// event is decoded with the local schema.
    public enum InputFraming: String, Sendable, Hashable, CaseIterable {
        case bare
        case confluent
    }

    /// The encodings Sluice can decode events from.
    public enum InputFormat: String, Sendable, Hashable, CaseIterable {
        case json
        case avro
        case protobuf
    }

    /// `model:` — the ONNX model that scores each row.
    public struct Model: Sendable, Hashable {
        public var path = "model.onnx"
        /// The model's name in records; `nil` for the file's name without its extension.
        public var name: String?
        /// The model's version in records; `nil` for the version the model file declares, if any.
        public var version: String?
        /// The golden file every model must reproduce before it serves; `nil` for no such gate.
        public var validation: Validation?
        /// How often `sluice run` looks at `path` for a new model file, in milliseconds; 0 never.
        public var watchIntervalMilliseconds = 1000
        /// A model scored beside this one whose predictions are only recorded; `nil` for none.
        public var shadow: Shadow?
        /// A model that scores a share of the events in place of this one; `nil` for none.
        public var canary: Canary?

        public init() {}

        /// The name records carry.
        public var effectiveName: String {
            name ?? String(path.split(separator: "/").last.map { $0.split(separator: ".").first ?? $0 } ?? "model")
        }
    }

    /// `batching:` — when a micro-batch closes.
    public struct Batching: Sendable, Hashable {
        public var maxSize = 256
        /// Milliseconds a row waits at most for its batch to fill (fractions allowed).
        public var maxDelayMilliseconds = 2.0

        public init() {}

        public var maxDelay: Duration { .microseconds(Int64((maxDelayMilliseconds * 1000).rounded())) }
    }

    /// `backpressure:` — the bound on events in flight.
    public struct Backpressure: Sendable, Hashable {
        /// Stop taking events at this many consumed and not yet committable.
        public var maxInFlight = 50_000
        /// Take events again at this many.
        public var resumeAt = 25_000
        /// How long the input may be held before its partitions are paused, in milliseconds.
        public var pauseAfterMilliseconds = 5_000

        public var pauseAfter: Duration { .milliseconds(pauseAfterMilliseconds) }

        public init() {}
    }

    /// `outputs:` — the topics written to.
    public struct Outputs: Sendable, Hashable {
        public var predictions = "predictions"
        public var audit = "audit"
        /// `nil` for `<first input topic>.dlq`.
        public var deadLetter: String?
        /// What happens to an event whose output the broker refuses for good (`on_rejected`).
        public var onRejected = RejectedOutputPolicy.deadLetter

        public init() {}
    }

    /// What happens to an event whose prediction or audit record the broker refuses for good (too
    /// large for its topic, a topic that does not exist, a write not authorised).
    public enum RejectedOutputPolicy: String, Sendable, Hashable, CaseIterable {
        /// A dead letter of class `output_rejected` takes the output's place; the stream goes on.
        case deadLetter = "dead_letter"
        /// The processor stops with an error naming the topic, the input offset and the setting
        /// to change; nothing past the offset is committed.
        case stop
    }

    /// `delivery:` — what survives a crash.
    public enum Delivery: String, Sendable, Hashable, CaseIterable {
        /// An input offset is committed once its outputs are acknowledged: nothing is lost, and
        /// events after the last commit may be scored again after a crash.
        case atLeastOnce = "at_least_once"
        /// A span of input's outputs and its input offsets are committed in one Kafka
        /// transaction, every ``SluiceConfiguration/transactionMilliseconds``: read_committed
        /// consumers of the outputs see each event's records once.
        case exactlyOnce = "exactly_once"
    }

    /// `http:` — metrics, health and readiness.
    public struct HTTP: Sendable, Hashable {
        /// `host:port` to listen on.
        public var listen = "127.0.0.1:9464"
        /// Whether to serve the endpoint and record metrics at all (`enabled`).
        public var isEnabled = true
        /// How long assigned partitions may make no progress while input waits for them before
        /// `/healthz` reports the processor wedged, in milliseconds (`stall_timeout_ms`).
        public var stallTimeoutMilliseconds = 120_000

        public var stallTimeout: Duration { .milliseconds(stallTimeoutMilliseconds) }

        public init() {}
    }

    public var kafka = Kafka()
    public var input = Input()
    /// The ordered features that make the model's input row.
    public var features: [FeatureSpec.Feature] = []
    /// The features of each model input by name (`features:` as a mapping); used when
    /// ``features`` is empty. Both empty: each input is read from the event field of its name.
    public var inputFeatures: [InputSpec] = []
    public var model = Model()
    public var batching = Batching()
    public var backpressure = Backpressure()
    public var outputs = Outputs()
    public var delivery = Delivery.atLeastOnce
    /// `delivery.transaction_ms`: how long a transaction stays open in exactly-once delivery
    /// before it commits, in milliseconds; the longer, the cheaper per event, and the later
    /// read_committed consumers see the outputs.
    public var transactionMilliseconds = 100
    public var http = HTTP()
    /// Drift monitoring; `nil` (the default) for none.
    public var monitoring: Monitoring?
    /// Feature attributions in the audit records (`audit.explain`); `nil` (the default) for none.
    public var explanations: Explanations?

    public init() {}

    /// The feature spec the decoder compiles.
    public var featureSpec: FeatureSpec { FeatureSpec(features) }

    public var transactionInterval: Duration { .milliseconds(transactionMilliseconds) }

    /// The dead-letter topic in effect.
    public var deadLetterTopic: String { outputs.deadLetter ?? "\(input.topics.first ?? "events").dlq" }
}
