/// Values of inputs that are not float (doubles, integers, booleans and strings), written through
/// the row's ``InputRowWriter``. Out of line, so that the float lanes' path stays as it was.
extension AvroPlan {
    /// Reads one value of `scalar` into `column`: integers exactly, strings copied as they are.
    @inline(never)
    func readTyped(_ scalar: AvroScalar, column: Int, writer: InputRowWriter, reader: inout BinaryReader) throws(FeatureDecodingError) {
        let offset = reader.position
        switch scalar {
        case .int: try target.write(integer: Int64(try reader.readInt()), column: column, writer: writer, offset: offset)
        case .long: try target.write(integer: try reader.readLong(), column: column, writer: writer, offset: offset)
        case .float: try target.write(number: Double(try reader.readFloat()), column: column, writer: writer, offset: offset)
        case .double: try target.write(number: try reader.readDouble(), column: column, writer: writer, offset: offset)
        case .boolean:
            guard writer.set(bool: try reader.readBoolean(), column: column) else {
                throw target.refused("a boolean", integral: true, column: column, offset: offset)
            }
        case .string:
            let bytes = try reader.readLengthPrefixed()
            guard writer.set(string: bytes, column: column) else { throw target.refused("a string", integral: false, column: column, offset: offset) }
        }
    }

    /// Reads an array of exactly `length` values into the columns from `firstColumn`.
    func readTypedArray(
        firstColumn: Int,
        length: Int,
        element: AvroScalar,
        feature: Int,
        writer: InputRowWriter,
        reader: inout BinaryReader,
        state: inout State
    ) throws(FeatureDecodingError) {
        try forEachItem(length: length, feature: feature, reader: &reader, state: &state) { (index, reader) throws(FeatureDecodingError) in
            // Items beyond the length are read (to count them) into the last column, which the
            // length's error then makes moot.
            try readTyped(element, column: firstColumn + min(index, length - 1), writer: writer, reader: &reader)
        }
    }
}
