/// Gathers decoded rows into micro-batches: a batch closes when it holds `maxSize` rows or
/// `maxDelay` after its first row, whichever comes first.
///
/// A state machine without timers: the loop feeds it rows with the time it read them, asks for
/// ``deadline`` to size its poll timeout, and calls ``closeIfDue(now:)`` after each poll. The
/// time is always the caller's, so tests step it deterministically.
///
/// Rows are decoded straight into the open batch's matrix (``withNextRow(_:)``), and closed
/// batches' storage comes back through ``recycle(_:)``, so steady state allocates nothing.
public struct MicroBatcher: Sendable {
    /// Limits that close a batch.
    public struct Limits: Sendable, Hashable {
        /// The most rows in one batch (≥ 1).
        public var maxSize: Int
        /// The longest a row waits for its batch to fill.
        public var maxDelay: Duration

        public init(maxSize: Int, maxDelay: Duration) {
            precondition(maxSize >= 1, "maxSize must be at least 1")
            self.maxSize = maxSize
            self.maxDelay = maxDelay
        }
    }

    /// What the loop should do after a row was added.
    public enum Action: Equatable, Sendable {
        /// Keep reading.
        case none
        /// The batch is full: close it (``close(now:)``) and send it on.
        case closeBatch
    }

    public let limits: Limits
    /// How a row holds the model's inputs.
    public let layout: ModelInputLayout
    /// Float columns per row: for a single float input, its features.
    public var width: Int { layout.lanes.float }
    private var open: MicroBatch
    private var spares: [MicroBatch] = []

    public init(limits: Limits, layout: ModelInputLayout) {
        self.limits = limits
        self.layout = layout
        self.open = MicroBatch(layout: layout, capacity: limits.maxSize)
    }

    /// A batcher of rows of one float input of `width` features.
    public init(limits: Limits, width: Int) {
        self.init(limits: limits, layout: .singleFloatInput(width: width))
    }

    /// The rows in the open batch.
    public var count: Int { open.rows.count }

    /// When the open batch must close, or `nil` while it is empty.
    public var deadline: ContinuousClock.Instant? {
        open.openedAt.map { $0 + limits.maxDelay }
    }

    /// Calls `body` with the next row's storage, to decode into. The row only joins the batch
    /// when ``append(_:bytes:now:)`` follows; a failed decode simply does not append.
    /// Only for a layout of floats alone (``ModelInputLayout/isFloatOnly``).
    public mutating func withNextRow<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        precondition(open.rows.count < limits.maxSize, "the batch is full: close it first")
        precondition(layout.isFloatOnly, "a row with values other than floats: use withNextInputRow")
        let start = open.rows.count * width
        let width = self.width
        return try open.inputs.floats.withUnsafeMutableBufferPointer { (features) throws(E) -> R in
            try body(UnsafeMutableBufferPointer(rebasing: features[start..<(start + width)]))
        }
    }

    /// Calls `body` with a writer for the next row's values of every model input, all missing on
    /// entry. As with ``withNextRow(_:)``, the row joins the batch only when ``append(_:now:)``
    /// follows.
    public mutating func withNextInputRow<R, E: Error>(_ body: (inout InputRowWriter) throws(E) -> R) throws(E) -> R {
        precondition(open.rows.count < limits.maxSize, "the batch is full: close it first")
        return try open.inputs.withRow(open.rows.count, body)
    }

    /// Copies `bytes` (a key or header) into the open batch, for a row about to be appended.
    public mutating func store(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        let start = open.bytes.count
        open.bytes.append(contentsOf: bytes)
        return start..<open.bytes.count
    }

    /// Adds the row just decoded by ``withNextRow(_:)``.
    public mutating func append(_ row: MicroBatch.Row, now: ContinuousClock.Instant) -> Action {
        if open.rows.isEmpty { open.openedAt = now }
        open.rows.append(row)
        return open.rows.count == limits.maxSize ? .closeBatch : .none
    }

    /// Whether the open batch is past its deadline: close it then.
    public func isDue(now: ContinuousClock.Instant) -> Bool {
        deadline.map { now >= $0 } ?? false
    }

    /// Closes the open batch (if it has rows) and returns it, numbered `id`.
    public mutating func close(id: BatchID, now: ContinuousClock.Instant) -> MicroBatch? {
        guard !open.rows.isEmpty else { return nil }
        var next = spares.popLast() ?? MicroBatch(layout: layout, capacity: limits.maxSize)
        next.reset()
        swap(&open, &next)
        next.id = id
        next.closedAt = now
        next.hashFeatures()
        return next
    }

    /// Takes back a batch's storage once its outputs are encoded.
    public mutating func recycle(_ batch: consuming MicroBatch) {
        precondition(batch.inputs.layout == layout, "a batch from another batcher")
        spares.append(batch)
    }
}
