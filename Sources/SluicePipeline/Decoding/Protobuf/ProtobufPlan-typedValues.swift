/// Repeated fields, and values of inputs that are not float (doubles, integers, booleans and
/// strings), written through the row's ``InputRowWriter``.
extension ProtobufPlan {
    /// Reads the values of one occurrence of a repeated numeric field with `readOne`: a packed run
    /// (wire type 2), or a single value.
    @inline(__always)
    func readRepeated(
        _ kind: ProtobufNumber,
        wireType: UInt64,
        number: UInt64,
        end: Int,
        reader: inout BinaryReader,
        _ readOne: (inout BinaryReader) throws(FeatureDecodingError) -> Void
    ) throws(FeatureDecodingError) {
        if wireType == 2, kind.wireType != 2 {
            let packedEnd = try lengthDelimitedEnd(&reader, end: end)
            while reader.position < packedEnd { try readOne(&reader) }
            guard reader.position == packedEnd else { throw reader.malformed("a packed value crossing its field's end") }
        } else {
            guard wireType == kind.wireType else { throw wrongWireType(number, wireType, reader) }
            try readOne(&reader)
        }
    }

    /// Reads one value of `kind` into `column`, which is not float: integers exactly.
    @inline(never)
    func write(_ kind: ProtobufNumber, column: Int, writer: InputRowWriter, reader: inout BinaryReader) throws(FeatureDecodingError) {
        let offset = reader.position
        switch kind {
        case .double, .float:
            try target.write(number: try kind.read(&reader), column: column, writer: writer, offset: offset)
        case .bool:
            writer.set(bool: try reader.readVarint() != 0, column: column)
        case .uint64, .fixed64:
            let value = kind == .uint64 ? try reader.readVarint() : try reader.readFixed64()
            guard let integer = Int64(exactly: value) else { throw target.refused("\(value)", integral: true, column: column, offset: offset) }
            try target.write(integer: integer, column: column, writer: writer, offset: offset)
        default:
            // Every other integer type fits a Double exactly (at most 32 bits) or is read as one
            // of 64 bits by `integer`.
            try target.write(integer: try kind.integer(&reader), column: column, writer: writer, offset: offset)
        }
    }

    /// Sets each of `columns` that nothing has filled to its type's zero value: 0, false or "".
    @inline(never)
    func zeroMissing(_ columns: [Int], writer: InputRowWriter) {
        for column in columns where writer.isMissing(column: column) {
            if writer.column(column).elementType == .string {
                writer.set(string: UnsafeRawBufferPointer(start: nil, count: 0), column: column)
            } else {
                writer.set(integer: 0, column: column)
            }
        }
    }
}
