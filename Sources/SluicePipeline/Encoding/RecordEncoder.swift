import SluiceKernels
import SluiceModel

/// Encodes prediction and audit records (docs/ARCHITECTURE.md, "What Sluice writes") as JSON into reused buffers.
///
/// Everything fixed for the processor's life (model, processor, topic names, output names) is
/// escaped once at init into prepared fragments; per record only numbers, hashes and keys are
/// written.
///
/// The prediction id is `<input topic>-<partition>-<offset>`: deterministic, so an event
/// processed again after a restart (at-least-once allows it for offsets not yet committed) gets
/// the same id and consumers can deduplicate on it, and it tells at a glance which input it
/// scores. Partition and offset are numbers, so it parses unambiguously from the right even when
/// the topic name contains `-`.
public struct RecordEncoder: Sendable {
    /// How long a batch waited and computed, for the audit records.
    public struct BatchTiming: Sendable, Hashable {
        /// When the model started on the batch: each row's queue wait runs from its consumption
        /// to this instant.
        public var computeStartedAt: ContinuousClock.Instant
        /// How long the model took for the whole batch.
        public var compute: Duration

        public init(computeStartedAt: ContinuousClock.Instant, compute: Duration) {
            self.computeStartedAt = computeStartedAt
            self.compute = compute
        }
    }

    public let context: RecordContext

    /// How every prediction and audit record begins, before its prediction id.
    private static let predictionIDOpening: StaticString = #"{"prediction_id":""#

    /// The prediction id a prediction or audit record's value begins with, as these encoders
    /// write it, without parsing the JSON (the id is a topic name and two numbers: never
    /// escaped); `nil` for any other value. Audit records have no headers: this is how readers
    /// pair them with their predictions.
    public static func predictionID(inRecord value: some Collection<UInt8>) -> String? {
        let opening = UnsafeBufferPointer(start: predictionIDOpening.utf8Start, count: predictionIDOpening.utf8CodeUnitCount)
        guard value.starts(with: opening) else { return nil }
        let id = value.dropFirst(opening.count)
        return id.firstIndex(of: UInt8(ascii: "\"")).map { String(decoding: id[..<$0], as: UTF8.self) }
    }
    /// The model's output names, in the order outputs are passed to ``encodePrediction(row:of:outputs:into:)``.
    public let outputNames: [String]
    /// The `sluice-model` header's value: `name:version`.
    public let modelHeaderValue: [UInt8]

    private let outputEncoding: OutputEncoding
    private let topicIDPrefixes: [[UInt8]]
    private let topicFragments: [[UInt8]]
    private let predictionModelFragment: [UInt8]
    private let outputNameFragments: [[UInt8]]
    private let auditModelFragment: [UInt8]
    private let auditTailFragment: [UInt8]

    /// An encoder of the outputs `outputs` of the model: ZipMap outputs are written keyed by label.
    public init(context: RecordContext, outputs: [ModelValue]) {
        self.init(context: context, encoding: OutputEncoding(outputs: outputs))
    }

    /// An encoder of outputs known by name only (none written as a map).
    public init(context: RecordContext, outputNames: [String]) {
        self.init(context: context, encoding: OutputEncoding(names: outputNames))
    }

    private init(context: RecordContext, encoding: OutputEncoding) {
        let outputNames = encoding.names
        self.context = context
        self.outputNames = outputNames
        self.outputEncoding = encoding
        modelHeaderValue = Array("\(context.model.name):\(context.model.version)".utf8)
        topicIDPrefixes = context.inputTopics.map { Array("\($0)-".utf8) }
        topicFragments = context.inputTopics.map { topic in
            var buffer = JSONBuffer()
            buffer.append(string: topic)
            return buffer.bytes
        }
        var fragment = JSONBuffer()
        fragment.append(raw: #","model":{"name":"#)
        fragment.append(string: context.model.name)
        fragment.append(raw: #","version":"#)
        fragment.append(string: context.model.version)
        fragment.append(raw: #"},"outputs":{"#)
        predictionModelFragment = fragment.bytes
        outputNameFragments = outputNames.enumerated().map { index, name in
            var buffer = JSONBuffer()
            if index > 0 { buffer.append(raw: ",") }
            buffer.append(string: name)
            buffer.append(raw: ":")
            return buffer.bytes
        }
        fragment.reset()
        fragment.append(raw: #"},"model":{"name":"#)
        fragment.append(string: context.model.name)
        fragment.append(raw: #","version":"#)
        fragment.append(string: context.model.version)
        fragment.append(raw: #","sha256":"#)
        fragment.append(string: context.model.sha256)
        fragment.append(raw: #"},"features_sha256":""#)
        auditModelFragment = fragment.bytes
        fragment.reset()
        fragment.append(raw: #"},"processor":{"instance":"#)
        fragment.append(string: context.processorInstance)
        fragment.append(raw: #","version":"#)
        fragment.append(string: context.processorVersion)
        fragment.append(raw: #"},"output":{"topic":"#)
        fragment.append(string: context.predictionTopic)
        fragment.append(raw: "}}")
        auditTailFragment = fragment.bytes
    }

    /// Writes row `row`'s prediction id (`<topic>-<partition>-<offset>`) into `id`, replacing
    /// its contents. It is the `sluice-prediction-id` header's value and appears in both records.
    public func writePredictionID(row: Int, of batch: MicroBatch, into id: inout JSONBuffer) {
        let metadata = batch.rows[row]
        id.reset()
        id.append(raw: topicIDPrefixes[metadata.topic])
        id.append(Int64(metadata.partition))
        id.append(raw: "-")
        id.append(metadata.offset)
    }

    /// Writes row `row`'s prediction record into `value`, replacing its contents. `outputs` are
    /// the model's outputs for the whole batch, in ``outputNames`` order, each written as
    /// ``OutputEncoding`` says (a scalar, nested arrays, or probabilities keyed by class label).
    public func encodePrediction(row: Int, of batch: MicroBatch, predictionID: JSONBuffer, outputs: [Tensor], into value: inout JSONBuffer) {
        precondition(outputs.count == outputNames.count, "\(outputNames.count) outputs expected, got \(outputs.count)")
        value.reset()
        value.append(raw: Self.predictionIDOpening)
        value.append(raw: predictionID.bytes)
        value.append(raw: "\"")
        value.append(raw: predictionModelFragment)
        for (index, output) in outputs.enumerated() {
            value.append(raw: outputNameFragments[index])
            outputEncoding.append(row: row, rows: batch.count, output: index, output, to: &value)
        }
        value.append(raw: "}}")
    }

    /// Writes row `row`'s audit record into `value`, replacing its contents.
    public func encodeAudit(row: Int, of batch: MicroBatch, predictionID: JSONBuffer, timing: BatchTiming, into value: inout JSONBuffer) {
        let metadata = batch.rows[row]
        value.reset()
        value.append(raw: Self.predictionIDOpening)
        value.append(raw: predictionID.bytes)
        value.append(raw: #"","input":{"topic":"#)
        value.append(raw: topicFragments[metadata.topic])
        value.append(raw: #","partition":"#)
        value.append(Int64(metadata.partition))
        value.append(raw: #","offset":"#)
        value.append(metadata.offset)
        value.append(raw: #","timestamp":"#)
        if let timestamp = metadata.timestampMilliseconds { value.append(timestamp) } else { value.append(raw: "null") }
        value.append(raw: #","key":"#)
        if let key = metadata.key {
            batch.withBytes(key) { key in
                if JSONBuffer.isValidUTF8(key) {
                    value.append(stringBytes: key)
                } else {
                    value.append(raw: #"null,"key_base64":"#)
                    value.append(base64: key)
                }
            }
        } else {
            value.append(raw: "null")
        }
        value.append(raw: #","sha256":"#)
        value.append(metadata.payloadDigest)
        value.append(raw: auditModelFragment)
        value.appendHex(batch.featureDigests[row])
        value.append(raw: #"","batch":{"id":"#)
        value.append(unsigned: batch.id.rawValue)
        value.append(raw: #","size":"#)
        value.append(batch.count)
        value.append(raw: #","queue_wait_us":"#)
        value.append(RecordEncoder.microseconds(timing.computeStartedAt - metadata.consumedAt))
        value.append(raw: #","compute_us":"#)
        value.append(RecordEncoder.microseconds(timing.compute))
        value.append(raw: auditTailFragment)
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}
