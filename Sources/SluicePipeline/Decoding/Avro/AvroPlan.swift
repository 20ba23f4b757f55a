/// A writer's schema resolved against the features, compiled once (per schema id) into
/// operations that decode an Avro binary record straight into the row of every model input.
///
/// Resolution is by field name, as Avro's schema resolution is: fields the features do not name
/// are stepped over (a newer writer's added fields), and features the writer's schema lacks are
/// left missing, so they take their defaults (an older writer's schema) or fail with
/// `missing_feature`. `int`, `long`, `float`, `double` and `boolean` (as 1 or 0) fill a numeric
/// or bool column (converted as ``InputRowWriter`` converts: a `double` with a fraction does not
/// fit an int64 input); `string`, and an `enum` as its symbol's name, fill a string column. A
/// union with `null` counts as missing when `null`, nested records hold dotted paths' fields, and
/// an `array` fills an array feature. A NaN is missing too; an infinity, or a `double` beyond
/// `Float`'s range for a float input, is `out_of_range`. A field of a type its input cannot take
/// fails its events with `wrong_type`; bytes that do not match the schema are `malformed_payload`.
/// Decoding allocates nothing but the copy of string values into the batch.
public final class AvroPlan: Sendable {
    let operations: [AvroOperation]
    let programs: [Range<Int>]
    let branches: [Int]
    let failures: [FeatureDecodingError]
    /// The names of the enums read into string columns, as UTF-8.
    let symbols: [[UInt8]]
    let target: FeatureRowTarget

    /// How deep unions, arrays, maps and skipped records may nest in one event.
    static let maximumDepth = 64

    /// Compiles `schema` (the writer's) for `target`.
    init(schema: AvroSchema, target: FeatureRowTarget) {
        var compiler = Compiler(target: target)
        compiler.compileTopLevel(schema)
        operations = compiler.operations
        programs = compiler.programs
        branches = compiler.branches
        failures = compiler.failures
        symbols = compiler.symbols
        self.target = target
    }

    /// Compiles the writer's schema `json` (an `.avsc` file's text) for the features, and model
    /// inputs, of `features`.
    public convenience init(writerSchema json: String, features: FeatureDecoder) throws(AvroSchemaError) {
        self.init(schema: try AvroSchema.parse(json: json), target: FeatureRowTarget(features: features))
    }

    /// The model inputs one event fills.
    public var layout: ModelInputLayout { target.layout }

    /// Decodes the Avro record in `payload` from byte `start` to the end into `row`, for a layout
    /// of floats alone (``ModelInputLayout/isFloatOnly``): `layout.lanes.float` floats. On error
    /// the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, from start: Int, into row: UnsafeMutableBufferPointer<Float>) throws(FeatureDecodingError) {
        try layout.withWriter(floatRow: row) { (writer) throws(FeatureDecodingError) in try decode(payload, from: start, into: writer) }
    }

    /// Decodes the Avro record in `payload` from byte `start` to the end into the row `writer`
    /// lends (every column missing on entry). On error the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, from start: Int, into writer: InputRowWriter) throws(FeatureDecodingError) {
        var reader = BinaryReader(payload, from: start)
        var state = State(itemBudget: payload.count + 4096)
        try operations.withUnsafeBufferPointer { (operations) throws(FeatureDecodingError) in
            try run(program: 0, in: Tables(operations: operations, row: writer.floats, writer: writer), reader: &reader, state: &state, depth: 0)
        }
        guard reader.remaining == 0 else { throw reader.malformed("\(reader.remaining) bytes after the record") }
        try target.fillMissing(writer, offset: reader.position)
    }

    /// What bounds an event's work: the array and map items still allowed (every item of any
    /// size counts, so that zero-byte items cannot loop for long).
    struct State {
        var itemBudget: Int
    }

    /// What every operation of one event reads from and writes into.
    struct Tables {
        let operations: UnsafeBufferPointer<AvroOperation>
        /// The row of floats, by lane.
        let row: UnsafeMutablePointer<Float>
        let writer: InputRowWriter
    }

    func run(program: Int, in tables: Tables, reader: inout BinaryReader, state: inout State, depth: Int) throws(FeatureDecodingError) {
        let row = tables.row
        for index in programs[program] {
            switch tables.operations[index] {
            case .readDouble(let lane):
                row[lane] = try narrow(reader.readDouble(), lane: lane, reader: reader)
            case .readFloat(let lane):
                let value = try reader.readFloat()
                guard value.isFinite || value.isNaN else { throw outOfRange(Double(value), lane: lane, reader: reader) }
                row[lane] = value
            case .readInt(let lane):
                row[lane] = Float(try reader.readInt())
            case .readLong(let lane):
                row[lane] = Float(try reader.readLong())
            case .readBoolean(let lane):
                row[lane] = try reader.readBoolean() ? 1 : 0
            case .readArray(let firstLane, let length, let element, let feature):
                try readArray(into: row + firstLane, length: length, element: element, feature: feature, reader: &reader, state: &state)
            case .readTyped(let column, let scalar):
                try readTyped(scalar, column: column, writer: tables.writer, reader: &reader)
            case .readTypedArray(let firstColumn, let length, let element, let feature):
                try readTypedArray(firstColumn: firstColumn, length: length, element: element, feature: feature, writer: tables.writer, reader: &reader, state: &state)
            case .readEnumSymbol(let column, let firstSymbol, let symbolCount):
                let symbol = try reader.readInt()
                guard symbol >= 0, Int(symbol) < symbolCount else { throw reader.malformed("enum symbol \(symbol) of \(symbolCount)") }
                symbols[firstSymbol + Int(symbol)].withUnsafeBytes { _ = tables.writer.set(string: $0, column: column) }
            case .skipVarint:
                _ = try reader.readLong()
            case .skipBoolean:
                _ = try reader.readBoolean()
            case .skipBytes(let count):
                try reader.skip(count)
            case .skipLengthPrefixed:
                try reader.skipLengthPrefixed()
            case .skipEnum(let symbolCount):
                let symbol = try reader.readInt()
                guard symbol >= 0, Int(symbol) < symbolCount else { throw reader.malformed("enum symbol \(symbol) of \(symbolCount)") }
            case .skipBlocks(let item, let isMap):
                try skipBlocks(item: item, isMap: isMap, in: tables, reader: &reader, state: &state, depth: depth + 1)
            case .union(let firstBranch, let count):
                let branch = try reader.readLong()
                guard branch >= 0, branch < count else { throw reader.malformed("union branch \(branch) of \(count)") }
                try nest(depth, reader: reader)
                try run(program: branches[firstBranch + Int(branch)], in: tables, reader: &reader, state: &state, depth: depth + 1)
            case .call(let callee):
                try nest(depth, reader: reader)
                try run(program: callee, in: tables, reader: &reader, state: &state, depth: depth + 1)
            case .fail(let failure):
                var error = failures[failure]
                error.offset = reader.position
                throw error
            }
        }
    }

    @inline(__always)
    private func narrow(_ value: Double, lane: Int, reader: BinaryReader) throws(FeatureDecodingError) -> Float {
        let narrowed = Float(value)
        guard narrowed.isFinite || value.isNaN else { throw outOfRange(value, lane: lane, reader: reader) }
        return narrowed
    }

    @inline(never)
    private func outOfRange(_ value: Double, lane: Int, reader: BinaryReader) -> FeatureDecodingError {
        FeatureDecodingError(.outOfRange, path: target.path(column: target.features.column(ofLane: lane)), offset: reader.position, detail: "\(value) is beyond the range of a 32-bit float (±3.4028235e38)")
    }

    func nest(_ depth: Int, reader: BinaryReader) throws(FeatureDecodingError) {
        guard depth < Self.maximumDepth else { throw reader.malformed("values nested deeper than \(Self.maximumDepth)") }
    }

    /// The next block's item count, or 0 at the end; a negative count's byte size is read past.
    func blockCount(_ reader: inout BinaryReader, state: inout State) throws(FeatureDecodingError) -> Int {
        var count = try reader.readLong()
        if count < 0 {
            guard count != .min else { throw reader.malformed("a block count of \(count)") }
            count = -count
            guard try reader.readLong() >= 0 else { throw reader.malformed("a negative block size") }
        }
        guard count <= state.itemBudget else { throw reader.malformed("a block of \(count) items in a \(reader.end)-byte payload") }
        state.itemBudget -= Int(count)
        return Int(count)
    }

    private func readArray(
        into columns: UnsafeMutablePointer<Float>,
        length: Int,
        element: AvroScalar,
        feature: Int,
        reader: inout BinaryReader,
        state: inout State
    ) throws(FeatureDecodingError) {
        let start = reader.position
        try forEachItem(length: length, feature: feature, reader: &reader, state: &state) { (index, reader) throws(FeatureDecodingError) in
            let value: Float
            switch element {
            case .double: value = Float(try reader.readDouble())
            case .float: value = try reader.readFloat()
            case .int: value = Float(try reader.readInt())
            case .long: value = Float(try reader.readLong())
            case .boolean: value = try reader.readBoolean() ? 1 : 0
            case .string: preconditionFailure("strings never fill float lanes: the compiler refuses them")
            }
            if index < length { columns[index] = value }
        }
        for index in 0..<length where !columns[index].isFinite && !columns[index].isNaN {
            throw FeatureDecodingError(.outOfRange, path: "\(target.path(feature: feature))[\(index)]", offset: start, detail: "\(columns[index]) is not a finite number")
        }
    }

    /// Reads an array's blocks, calling `readItem` with each item's index (items beyond `length`
    /// included, to count them), and fails with `wrong_length` unless there were `length`.
    @inline(__always)
    func forEachItem(
        length: Int,
        feature: Int,
        reader: inout BinaryReader,
        state: inout State,
        _ readItem: (Int, inout BinaryReader) throws(FeatureDecodingError) -> Void
    ) throws(FeatureDecodingError) {
        let start = reader.position
        var total = 0
        while true {
            let count = try blockCount(&reader, state: &state)
            if count == 0 { break }
            for _ in 0..<count {
                try readItem(total, &reader)
                total += 1
            }
        }
        guard total == length else {
            throw FeatureDecodingError(.wrongLength, path: target.path(feature: feature), offset: start, detail: "expected \(length) elements, found \(total)")
        }
    }

    private func skipBlocks(item: Int, isMap: Bool, in tables: Tables, reader: inout BinaryReader, state: inout State, depth: Int) throws(FeatureDecodingError) {
        try nest(depth, reader: reader)
        while true {
            let count = try blockCount(&reader, state: &state)
            if count == 0 { return }
            for _ in 0..<count {
                if isMap { try reader.skipLengthPrefixed() }
                try run(program: item, in: tables, reader: &reader, state: &state, depth: depth)
            }
        }
    }
}
