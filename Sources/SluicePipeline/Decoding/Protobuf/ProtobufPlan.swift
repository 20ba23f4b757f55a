/// A Protobuf message type resolved against the features by field name, compiled once into
/// per-message tables from field number to destination, decoding a serialized message straight
/// into the row of every model input.
///
/// Fields the features do not name are stepped over by wire type, so a newer writer's added
/// fields are harmless; a feature whose field the message type lacks, or an absent field with
/// explicit presence (proto2, proto3 `optional`, a message field), is missing: its default fills
/// it or the event is a `missing_feature` dead letter. An absent proto3 scalar without presence is
/// 0 (an absent `string`, ""), as Protobuf defines it. Every numeric type, `bool` and enums (their
/// number) fill a numeric or bool column, converted as ``InputRowWriter`` converts; `string`
/// fills a string column; a repeated numeric field (packed or not) fills an array feature; nested
/// messages hold dotted paths. A NaN is missing, an infinity or a number beyond a float input's
/// range `out_of_range`; a field of a type its input cannot take is `wrong_type`; bytes that are
/// not a message of the type (a wrong wire type, a length beyond the payload, a group, field 0)
/// are `malformed_payload`. Decoding allocates nothing but the copy of string values.
public final class ProtobufPlan: Sendable {
    /// What one field number of one message does. Float columns are addressed by their lane in
    /// the row of floats, written directly; other columns by layout column, through the writer.
    enum Action: Sendable {
        case skip
        case scalar(lane: Int, ProtobufNumber)
        case array(firstLane: Int, length: Int, feature: Int, counter: Int, ProtobufNumber)
        case typedScalar(column: Int, ProtobufNumber)
        case typedArray(firstColumn: Int, length: Int, feature: Int, counter: Int, ProtobufNumber)
        case string(column: Int)
        case message(Int)
        case fail(FeatureDecodingError)
    }

    /// One message type's table, by field number (numbers beyond the table are skipped).
    struct MessageTable: Sendable {
        var actions: [Action]
        /// Float lanes of proto3 fields without presence, which are 0 unless the message sets them.
        var zeroLanes: [Int]
        /// Other columns of such fields: 0, false or "" unless the message sets them.
        var zeroColumns: [Int]
    }

    let tables: [MessageTable]
    let arrays: [(length: Int, feature: Int)]
    let target: FeatureRowTarget

    static let maximumDepth = 64

    /// Compiles message `message` (its full name) of the descriptor set `descriptorSet` for the
    /// features, and model inputs, of `features`.
    public convenience init(descriptorSet: [UInt8], message: String, features: FeatureDecoder) throws(ProtobufSchemaError) {
        try self.init(descriptors: ProtobufDescriptors(descriptorSet: descriptorSet), message: message, target: FeatureRowTarget(features: features))
    }

    init(descriptors: ProtobufDescriptors, message: String, target: FeatureRowTarget) throws(ProtobufSchemaError) {
        guard descriptors.messages[message] != nil else {
            throw ProtobufSchemaError("the descriptor set has no message \(message); it has \(descriptors.messages.keys.sorted().joined(separator: ", "))")
        }
        var compiler = Compiler(descriptors: descriptors, target: target)
        _ = compiler.table(message, fields: target.root)
        tables = compiler.tables
        arrays = compiler.arrays
        self.target = target
    }

    /// The model inputs one event fills.
    public var layout: ModelInputLayout { target.layout }

    /// Decodes the message in `payload` from byte `start` to the end into `row`, for a layout of
    /// floats alone (``ModelInputLayout/isFloatOnly``): `layout.lanes.float` floats. On error the
    /// row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, from start: Int, into row: UnsafeMutableBufferPointer<Float>) throws(FeatureDecodingError) {
        try layout.withWriter(floatRow: row) { (writer) throws(FeatureDecodingError) in try decode(payload, from: start, into: writer) }
    }

    /// Decodes the message in `payload` from byte `start` to the end into the row `writer` lends
    /// (every column missing on entry). On error the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, from start: Int, into writer: InputRowWriter) throws(FeatureDecodingError) {
        var reader = BinaryReader(payload, from: start)
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: arrays.count) { (counts) throws(FeatureDecodingError) in
            counts.initialize(repeating: 0)
            try decodeMessage(0, end: reader.end, reader: &reader, writer: writer, counts: counts, depth: 0)
            for (index, array) in arrays.enumerated() where counts[index] != 0 && counts[index] != array.length {
                throw FeatureDecodingError(
                    .wrongLength, path: target.path(feature: array.feature), offset: reader.position,
                    detail: "expected \(array.length) elements, found \(counts[index])"
                )
            }
        }
        try target.checkFloatsFinite(writer, offset: reader.position)
        try target.fillMissing(writer, offset: reader.position)
    }

    private func decodeMessage(
        _ table: Int,
        end: Int,
        reader: inout BinaryReader,
        writer: InputRowWriter,
        counts: UnsafeMutableBufferPointer<Int>,
        depth: Int
    ) throws(FeatureDecodingError) {
        let message = tables[table]
        let row = writer.floats
        for lane in message.zeroLanes where row[lane].isNaN { row[lane] = 0 }
        if !message.zeroColumns.isEmpty { zeroMissing(message.zeroColumns, writer: writer) }
        while reader.position < end {
            let tag = try reader.readVarint()
            let number = tag >> 3
            let wireType = tag & 7
            guard number >= 1, number <= 536_870_911 else { throw reader.malformed("field number \(number)") }
            let action = number < UInt64(message.actions.count) ? message.actions[Int(number)] : .skip
            switch action {
            case .skip:
                try skip(wireType: wireType, reader: &reader, end: end)
            case .scalar(let lane, let kind):
                guard wireType == kind.wireType else { throw wrongWireType(number, wireType, reader) }
                row[lane] = Float(try kind.read(&reader))
            case .array(let firstLane, let length, _, let counter, let kind):
                try readRepeated(kind, wireType: wireType, number: number, end: end, reader: &reader) { (reader) throws(FeatureDecodingError) in
                    store(Float(try kind.read(&reader)), at: firstLane, length: length, count: &counts[counter], row: row)
                }
            case .typedScalar(let column, let kind):
                guard wireType == kind.wireType else { throw wrongWireType(number, wireType, reader) }
                try write(kind, column: column, writer: writer, reader: &reader)
            case .typedArray(let firstColumn, let length, _, let counter, let kind):
                try readRepeated(kind, wireType: wireType, number: number, end: end, reader: &reader) { (reader) throws(FeatureDecodingError) in
                    if counts[counter] < length { try write(kind, column: firstColumn + counts[counter], writer: writer, reader: &reader) } else { _ = try kind.read(&reader) }
                    counts[counter] += 1
                }
            case .string(let column):
                guard wireType == 2 else { throw wrongWireType(number, wireType, reader) }
                let stringEnd = try lengthDelimitedEnd(&reader, end: end)
                writer.set(string: UnsafeRawBufferPointer(start: reader.base + reader.position, count: stringEnd - reader.position), column: column)
                reader.position = stringEnd
            case .message(let nested):
                guard wireType == 2 else { throw wrongWireType(number, wireType, reader) }
                guard depth < Self.maximumDepth else { throw reader.malformed("messages nested deeper than \(Self.maximumDepth)") }
                let nestedEnd = try lengthDelimitedEnd(&reader, end: end)
                try decodeMessage(nested, end: nestedEnd, reader: &reader, writer: writer, counts: counts, depth: depth + 1)
            case .fail(var error):
                error.offset = reader.position
                throw error
            }
            guard reader.position <= end else { throw reader.malformed("a field crossing its message's end") }
        }
    }

    @inline(__always)
    private func store(_ value: Float, at firstColumn: Int, length: Int, count: inout Int, row: UnsafeMutablePointer<Float>) {
        if count < length { row[firstColumn + count] = value }
        count += 1
    }

    /// Reads a length and returns where the value it prefixes ends, inside `end`.
    func lengthDelimitedEnd(_ reader: inout BinaryReader, end: Int) throws(FeatureDecodingError) -> Int {
        let length = try reader.readVarint()
        // The tag or the length itself may already have run past a nested message's end.
        guard reader.position <= end else { throw reader.malformed("a field crossing its message's end") }
        guard length <= UInt64(end - reader.position) else { throw reader.malformed("a length of \(length) with \(end - reader.position) bytes left") }
        return reader.position + Int(length)
    }

    private func skip(wireType: UInt64, reader: inout BinaryReader, end: Int) throws(FeatureDecodingError) {
        switch wireType {
        case 0: _ = try reader.readVarint()
        case 1: try reader.skip(8)
        case 2: reader.position = try lengthDelimitedEnd(&reader, end: end)
        case 5: try reader.skip(4)
        default: throw reader.malformed("wire type \(wireType)")
        }
    }

    @inline(never)
    func wrongWireType(_ number: UInt64, _ wireType: UInt64, _ reader: BinaryReader) -> FeatureDecodingError {
        reader.malformed("field \(number) with wire type \(wireType), which its type does not have")
    }
}
