/// Writes the values of one batch row, for every model input, by column number
/// (``ModelInputLayout/columns``): the interface every event decoder fills rows through.
///
/// How a decoder uses it, whatever its format:
/// 1. It compiles, once, which of its fields fills which column (the columns of input `i` are
///    `layout.inputs[i].columns`; element `e` of that input is column `columns.lowerBound + e`).
/// 2. Per event it gets a writer from ``InputRows/withRow(_:_:)`` (the processor lends the open
///    batch's next row through `MicroBatcher.withNextInputRow`), with every column missing.
/// 3. For each value it calls one setter: ``set(number:column:)`` for any number (converted to the
///    column's type: a non-integral number or one out of range for an int64/int32 column, or
///    anything but 0 and 1 for a bool column, is refused), ``set(bool:column:)`` (1 or 0 in a
///    numeric column), ``set(string:column:)`` (only into a string column: bytes copied as given,
///    UTF-8 expected), or ``setMissing(column:)`` for an explicit null. A setter returns `false`
///    when the column's type cannot take the value: the decoder reports `wrong_type` for it. A
///    later write to a column replaces an earlier one. ``floats`` is the row of float columns, for
///    a decoder's fast path (``ModelInputLayout/Column/lane`` indexes it; NaN means missing).
/// 4. Finally ``fillMissing()`` puts the defaults into the columns nothing filled and returns
///    the first column left missing without a default: the decoder reports `missing_feature`.
///
/// Setting numbers and booleans allocates nothing; strings are copied into the batch's bytes.
public struct InputRowWriter {
    let columns: UnsafeBufferPointer<ModelInputLayout.Column>
    /// This row's float columns, by lane.
    public let floats: UnsafeMutablePointer<Float>
    let doubles: UnsafeMutablePointer<Double>
    let int64s: UnsafeMutablePointer<Int64>
    let int32s: UnsafeMutablePointer<Int32>
    let bools: UnsafeMutablePointer<Bool>
    let strings: UnsafeMutablePointer<InputRows.StringSlot>
    let stringBytes: UnsafeMutablePointer<[UInt8]>
    let present: UnsafeMutablePointer<UInt8>
    let lanes: ModelInputLayout.Lanes

    /// The number of columns.
    public var columnCount: Int { columns.count }

    /// Column `column`'s description.
    public func column(_ column: Int) -> ModelInputLayout.Column { columns[column] }

    static func row<T>(_ buffer: UnsafeMutableBufferPointer<T>, _ row: Int, _ width: Int) -> UnsafeMutablePointer<T> {
        // An empty matrix has no storage; its placeholder is never read, since no column uses it.
        guard width > 0, let base = buffer.baseAddress else { return UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)! }
        return base + row * width
    }

    /// Marks every column missing.
    mutating func clear() {
        if lanes.float > 0 { floats.update(repeating: .nan, count: lanes.float) }
        if lanes.presence > 0 { present.update(repeating: 0, count: lanes.presence) }
    }

    /// Writes a number; `false` when the column's type cannot hold it (see the type's rules above).
    @discardableResult
    public func set(number value: Double, column: Int) -> Bool {
        let description = columns[column]
        switch description.elementType {
        case .float: floats[description.lane] = Float(value)
        case .double: doubles[description.lane] = value
        case .int64:
            guard value.rounded() == value, let integer = Int64(exactly: value) else { return false }
            int64s[description.lane] = integer
        case .int32:
            guard value.rounded() == value, let integer = Int32(exactly: value) else { return false }
            int32s[description.lane] = integer
        case .bool:
            guard value == 0 || value == 1 else { return false }
            bools[description.lane] = value == 1
        case .string: return false
        }
        markPresent(description)
        return true
    }

    /// Writes an integer exactly (a `Double` would round beyond 2^53); `false` for a string column
    /// or an integer out of the column's range.
    @discardableResult
    public func set(integer value: Int64, column: Int) -> Bool {
        let description = columns[column]
        switch description.elementType {
        case .int64: int64s[description.lane] = value
        case .int32:
            guard let narrow = Int32(exactly: value) else { return false }
            int32s[description.lane] = narrow
        default: return set(number: Double(value), column: column)
        }
        markPresent(description)
        return true
    }

    /// Writes a boolean: as itself, or 1 or 0 in a numeric column; `false` for a string column.
    @discardableResult
    public func set(bool value: Bool, column: Int) -> Bool {
        let description = columns[column]
        guard description.elementType == .bool else { return set(number: value ? 1 : 0, column: column) }
        bools[description.lane] = value
        markPresent(description)
        return true
    }

    /// Writes a string's UTF-8 bytes; `false` unless the column is a string column.
    @discardableResult
    public func set(string bytes: UnsafeRawBufferPointer, column: Int) -> Bool {
        set(stringColumn: column) { $0.append(contentsOf: bytes) }
    }

    /// Writes a string that `write` appends to the given bytes (for a decoder that unescapes as it
    /// copies); `false`, without calling `write`, unless the column is a string column.
    @discardableResult
    public func set(stringColumn column: Int, _ write: (inout [UInt8]) -> Void) -> Bool {
        let description = columns[column]
        guard description.elementType == .string else { return false }
        let start = stringBytes.pointee.count
        write(&stringBytes.pointee)
        strings[description.lane] = InputRows.StringSlot(start: Int32(start), count: Int32(stringBytes.pointee.count - start))
        markPresent(description)
        return true
    }

    /// Marks a column missing again (an explicit null, or a later duplicate that is null).
    public func setMissing(column: Int) {
        let description = columns[column]
        if description.presence < 0 {
            floats[description.lane] = .nan
        } else {
            present[description.presence] = 0
        }
    }

    /// Whether nothing has filled column `column`.
    public func isMissing(column: Int) -> Bool {
        let description = columns[column]
        return description.presence < 0 ? floats[description.lane].isNaN : present[description.presence] == 0
    }

    /// Fills every missing column that has a default; returns the first column still missing, or
    /// `nil` when the row is complete.
    public func fillMissing() -> Int? {
        // Complete rows are the common case: checked without a branch per column.
        var anyMissing = false
        for lane in 0..<lanes.float { anyMissing = anyMissing || floats[lane].isNaN }
        for index in 0..<lanes.presence { anyMissing = anyMissing || present[index] == 0 }
        guard anyMissing else { return nil }
        for index in columns.indices where isMissing(column: index) {
            guard let value = columns[index].defaultValue else { return index }
            switch value {
            case .number(let number): set(number: number, column: index)
            case .bool(let flag): set(bool: flag, column: index)
            case .string(let text): set(stringColumn: index) { $0.append(contentsOf: text.utf8) }
            }
        }
        return nil
    }

    @inline(__always)
    private func markPresent(_ description: ModelInputLayout.Column) {
        if description.presence >= 0 { present[description.presence] = 1 }
    }
}

extension InputRowWriter {
    /// A writer for a row of floats alone, lent by the caller.
    init(floatRow: UnsafeMutableBufferPointer<Float>, columns: UnsafeBufferPointer<ModelInputLayout.Column>, lanes: ModelInputLayout.Lanes) {
        precondition(lanes.presence == 0 && floatRow.count == lanes.float, "a row of floats alone")
        self.columns = columns
        floats = Self.row(floatRow, 0, lanes.float)
        doubles = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        int64s = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        int32s = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        bools = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        strings = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        stringBytes = UnsafeMutablePointer(bitPattern: MemoryLayout<[UInt8]>.alignment)!
        present = Self.row(UnsafeMutableBufferPointer(start: nil, count: 0), 0, 0)
        self.lanes = lanes
    }
}
