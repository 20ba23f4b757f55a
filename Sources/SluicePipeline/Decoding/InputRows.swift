import SluiceKernels

/// Storage for up to `capacity` rows of a model's inputs, laid out by a ``ModelInputLayout``: one
/// row-major matrix per element type, and the bytes of the string values.
///
/// Decoders write a row through ``withRow(_:_:)``'s ``InputRowWriter``; ``tensors(rows:)`` makes
/// one tensor per model input. Numeric and boolean values are stored in place, so decoding them
/// allocates nothing; string values are copied into one growing byte buffer that is reused.
public struct InputRows: Sendable {
    public let layout: ModelInputLayout
    /// The float columns of every row, `lanes.float` per row: for a single float input, its rows.
    public internal(set) var floats: [Float]
    var doubles: [Double]
    var int64s: [Int64]
    var int32s: [Int32]
    var bools: [Bool]
    /// Where each string value is in ``stringBytes``.
    var strings: [StringSlot]
    var stringBytes: [UInt8]
    /// Per row and column that is not float: 1 once written, 0 while missing.
    var present: [UInt8]

    /// Where one string value is in the batch's string bytes.
    struct StringSlot: Sendable {
        var start: Int32
        var count: Int32
    }

    public init(layout: ModelInputLayout, capacity: Int) {
        self.layout = layout
        let lanes = layout.lanes
        floats = Array(repeating: 0, count: lanes.float * capacity)
        doubles = Array(repeating: 0, count: lanes.double * capacity)
        int64s = Array(repeating: 0, count: lanes.int64 * capacity)
        int32s = Array(repeating: 0, count: lanes.int32 * capacity)
        bools = Array(repeating: false, count: lanes.bool * capacity)
        strings = Array(repeating: StringSlot(start: 0, count: 0), count: lanes.string * capacity)
        stringBytes = []
        present = Array(repeating: 0, count: lanes.presence * capacity)
    }

    /// Forgets the string bytes of earlier rows; numeric storage is simply overwritten.
    public mutating func removeAll() {
        stringBytes.removeAll(keepingCapacity: true)
    }

    /// Lends row `row`'s storage to `body`, every column missing on entry. A row whose decoding
    /// fails may leave string bytes behind; they are dropped with the batch.
    public mutating func withRow<R, E: Error>(_ row: Int, _ body: (inout InputRowWriter) throws(E) -> R) throws(E) -> R {
        let lanes = layout.lanes
        return try layout.columns.withUnsafeBufferPointer { (columns) throws(E) -> R in
            try floats.withUnsafeMutableBufferPointer { (floats) throws(E) -> R in
                try doubles.withUnsafeMutableBufferPointer { (doubles) throws(E) -> R in
                    try int64s.withUnsafeMutableBufferPointer { (int64s) throws(E) -> R in
                        try int32s.withUnsafeMutableBufferPointer { (int32s) throws(E) -> R in
                            try bools.withUnsafeMutableBufferPointer { (bools) throws(E) -> R in
                                try strings.withUnsafeMutableBufferPointer { (strings) throws(E) -> R in
                                    try present.withUnsafeMutableBufferPointer { (present) throws(E) -> R in
                                        try withUnsafeMutablePointer(to: &stringBytes) { (stringBytes) throws(E) -> R in
                                            var writer = InputRowWriter(
                                                columns: columns,
                                                floats: InputRowWriter.row(floats, row, lanes.float),
                                                doubles: InputRowWriter.row(doubles, row, lanes.double),
                                                int64s: InputRowWriter.row(int64s, row, lanes.int64),
                                                int32s: InputRowWriter.row(int32s, row, lanes.int32),
                                                bools: InputRowWriter.row(bools, row, lanes.bool),
                                                strings: InputRowWriter.row(strings, row, lanes.string),
                                                stringBytes: stringBytes,
                                                present: InputRowWriter.row(present, row, lanes.presence),
                                                lanes: lanes
                                            )
                                            writer.clear()
                                            return try body(&writer)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One tensor per model input, in layout order, of shape `[rows.count] + rowShape`, from rows
    /// `rows`.
    public func tensors(rows: Range<Int>) -> [Tensor] {
        layout.inputs.map { (input) -> Tensor in
            let shape = [rows.count] + input.rowShape
            let lanes = layout.columns[input.columns].map(\.lane)
            switch input.elementType {
            case .float: return Tensor(shape: shape, floats: gather(floats, layout.lanes.float, lanes, rows))
            case .double: return Tensor(shape: shape, doubles: gather(doubles, layout.lanes.double, lanes, rows))
            case .int64: return Tensor(shape: shape, int64s: gather(int64s, layout.lanes.int64, lanes, rows))
            case .int32: return Tensor(shape: shape, int32s: gather(int32s, layout.lanes.int32, lanes, rows))
            case .bool: return Tensor(shape: shape, bools: gather(bools, layout.lanes.bool, lanes, rows))
            case .string:
                let slots = gather(strings, layout.lanes.string, lanes, rows)
                return Tensor(shape: shape, strings: slots.map(string(at:)))
            }
        }
    }

    /// The string in `slot`.
    func string(at slot: StringSlot) -> String {
        stringBytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(slot.start)..<Int(slot.start + slot.count)]), as: UTF8.self)
        }
    }

    /// Row `row`'s values as bytes, for its digest: the float lanes' bytes, then the other types'
    /// values, each string as its length and bytes.
    func appendRowBytes(_ row: Int, to bytes: inout [UInt8]) {
        let lanes = layout.lanes
        func append<T>(_ values: [T], _ width: Int) {
            values.withUnsafeBytes { raw in
                let stride = MemoryLayout<T>.stride * width
                bytes.append(contentsOf: raw[(row * stride)..<((row + 1) * stride)])
            }
        }
        append(floats, lanes.float)
        append(doubles, lanes.double)
        append(int64s, lanes.int64)
        append(int32s, lanes.int32)
        append(bools, lanes.bool)
        for lane in 0..<lanes.string {
            let slot = strings[row * lanes.string + lane]
            withUnsafeBytes(of: slot.count.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: stringBytes[Int(slot.start)..<Int(slot.start + slot.count)])
        }
    }

    private func gather<T>(_ values: [T], _ width: Int, _ lanes: [Int], _ rows: Range<Int>) -> [T] {
        var result: [T] = []
        result.reserveCapacity(rows.count * lanes.count)
        for row in rows {
            for lane in lanes { result.append(values[row * width + lane]) }
        }
        return result
    }
}
