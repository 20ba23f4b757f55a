
/// A closed micro-batch: a row-major `rows × width` float matrix and, per row, what the outputs
/// need from the input message, copied so that the consumed messages can be released at once.
///
/// The storage is reused: hand the batch back to ``MicroBatcher/recycle(_:)`` when its outputs
/// are encoded.
public struct MicroBatch: Sendable {
    /// Where a row came from and what its outputs must carry.
    public struct Row: Sendable {
        /// Index of the input topic in the configured `input.topics`.
        public var topic: Int
        public var partition: Int32
        public var offset: Int64
        /// The input message's timestamp in milliseconds since the epoch, if it has one.
        public var timestampMilliseconds: Int64?
        /// When the loop consumed the message: the start of its queue wait.
        public var consumedAt: ContinuousClock.Instant
        /// The ledger token for the row's outputs.
        public var token: DeliveryToken
        /// SHA-256 of the input payload.
        public var payloadDigest: SHA256Hash
        /// The input key's bytes in ``MicroBatch/bytes``, or `nil` for a message without a key.
        public var key: Range<Int>?
        /// The input's `traceparent` header value in ``MicroBatch/bytes``, if any.
        public var traceparent: Range<Int>?

        public init(
            topic: Int,
            partition: Int32,
            offset: Int64,
            timestampMilliseconds: Int64?,
            consumedAt: ContinuousClock.Instant,
            token: DeliveryToken,
            payloadDigest: SHA256Hash,
            key: Range<Int>?,
            traceparent: Range<Int>?
        ) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.timestampMilliseconds = timestampMilliseconds
            self.consumedAt = consumedAt
            self.token = token
            self.payloadDigest = payloadDigest
            self.key = key
            self.traceparent = traceparent
        }
    }

    /// The batch's number, from the ledger.
    public internal(set) var id: BatchID
    /// The rows' values of every model input (one tensor per input: ``InputRows/tensors(rows:)``);
    /// only the first `rows.count` rows are meaningful.
    public internal(set) var inputs: InputRows
    /// The float columns per row: for a single float input model, its features per row.
    public var width: Int { inputs.layout.lanes.float }
    /// The float columns, row-major: for a single float input model, its feature matrix.
    public var features: [Float] { inputs.floats }
    /// Per-row metadata, in consumption order (so per-partition order is kept).
    public internal(set) var rows: [Row]
    /// Keys and headers copied from the messages, referenced by the rows.
    public internal(set) var bytes: [UInt8]
    /// SHA-256 of each row's features (their float32 bytes; with inputs of other types, the bytes
    /// ``InputRows`` gives a row), for the audit records; computed
    /// when the batch closes.
    public internal(set) var featureDigests: [SHA256Hash]
    /// When the first row joined the batch.
    public internal(set) var openedAt: ContinuousClock.Instant?
    /// When the batch closed.
    public internal(set) var closedAt: ContinuousClock.Instant?

    init(layout: ModelInputLayout, capacity: Int) {
        self.id = BatchID(rawValue: 0)
        self.inputs = InputRows(layout: layout, capacity: capacity)
        self.rows = []
        self.rows.reserveCapacity(capacity)
        self.bytes = []
        self.bytes.reserveCapacity(capacity * 64)
        self.featureDigests = []
        self.featureDigests.reserveCapacity(capacity)
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// The features of row `index`.
    public func withRow<R>(_ index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try inputs.floats.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[(index * width)..<((index + 1) * width)])) }
    }

    /// The bytes of a range the row refers to (its key or traceparent).
    public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Hashes the rows' features two at a time (``SHA256Hash/pair(_:_:)``) into
    /// ``featureDigests``. ``MicroBatcher/close(id:now:)`` does it; public for benchmarks.
    public mutating func hashFeatures() {
        featureDigests.removeAll(keepingCapacity: true)
        guard inputs.layout.isFloatOnly else { return hashTypedRows() }
        let rowBytes = width * MemoryLayout<Float>.stride
        inputs.floats.withUnsafeBytes { features in
            func row(_ index: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: features[(index * rowBytes)..<((index + 1) * rowBytes)])
            }
            var index = 0
            while index + 1 < count {
                let (first, second) = SHA256Hash.pair(row(index), row(index + 1))
                featureDigests.append(first)
                featureDigests.append(second)
                index += 2
            }
            if index < count { featureDigests.append(SHA256Hash(of: row(index))) }
        }
    }

    /// Hashes rows with values other than floats, one at a time through a scratch buffer: such
    /// models are not the float fast path.
    private mutating func hashTypedRows() {
        var scratch: [UInt8] = []
        for row in 0..<count {
            scratch.removeAll(keepingCapacity: true)
            inputs.appendRowBytes(row, to: &scratch)
            featureDigests.append(scratch.withUnsafeBytes { SHA256Hash(of: $0) })
        }
    }

    mutating func reset() {
        rows.removeAll(keepingCapacity: true)
        inputs.removeAll()
        bytes.removeAll(keepingCapacity: true)
        featureDigests.removeAll(keepingCapacity: true)
        openedAt = nil
        closedAt = nil
    }
}
