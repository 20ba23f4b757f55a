/// Values of inputs that are not float: doubles, integers, booleans and strings, written through
/// the row's ``InputRowWriter``. Out of line: the float columns' path stays as it was.
extension FeatureDecoder {
    @inline(never)
    func decodeTyped(column: Int, cursor: inout JSONCursor, writer: InputRowWriter) throws(FeatureDecodingError) {
        let type = layout.columns[column].elementType
        let start = cursor.index
        switch cursor.current {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try cursor.skipNumber()
            let text = UnsafeRawBufferPointer(start: cursor.base + start, count: cursor.index - start)
            if type == .string {
                writer.set(string: text, column: column)
                return
            }
            if let integer = JSONCursor.plainInteger(text) {
                guard writer.set(integer: integer, column: column) else { throw refused(text, column: column, at: start) }
                return
            }
            // An integer beyond Int64 would come back from a double rounded: an integer input refuses it.
            if type == .int64 || type == .int32, JSONCursor.isPlainInteger(text) { throw refused(text, column: column, at: start) }
            let value = Double(String(decoding: text, as: UTF8.self)) ?? .infinity
            guard value.isFinite else {
                throw FeatureDecodingError(.outOfRange, path: path(column: column), offset: start, detail: "\(String(decoding: text.prefix(24), as: UTF8.self)) is beyond the range of a double")
            }
            guard writer.set(number: value, column: column) else { throw refused(text, column: column, at: start) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let value = cursor.current == UInt8(ascii: "t")
            try cursor.skipLiteral(value ? "true" : "false")
            if type == .string {
                writer.set(string: UnsafeRawBufferPointer(start: cursor.base + start, count: cursor.index - start), column: column)
            } else {
                writer.set(bool: value, column: column)
            }
        case UInt8(ascii: "n"):
            try cursor.skipLiteral("null")
            writer.setMissing(column: column)
        case UInt8(ascii: "\"") where type == .string:
            let string = try cursor.scanString()
            let raw = cursor.base + string.start
            if string.isEscaped {
                writer.set(stringColumn: column) { JSONKey.appendUnescaped(raw, count: string.count, to: &$0) }
            } else {
                writer.set(string: UnsafeRawBufferPointer(start: raw, count: string.count), column: column)
            }
        default:
            let expected = type == .string ? "a string" : "a number (\(type))"
            throw try wrongType(at: &cursor, depth: 1, path: path(column: column), expected: expected)
        }
    }

    /// A number the column's type cannot hold: not an integer for an int64 or int32 input, beyond
    /// its range, or neither 0 nor 1 for a bool input.
    @inline(never)
    private func refused(_ text: UnsafeRawBufferPointer, column: Int, at offset: Int) -> FeatureDecodingError {
        let type = layout.columns[column].elementType
        let kind: FeatureDecodingError.Kind = type == .bool ? .wrongType : (text.contains(UInt8(ascii: ".")) || text.contains { $0 | 0x20 == UInt8(ascii: "e") } ? .wrongType : .outOfRange)
        return FeatureDecodingError(kind, path: path(column: column), offset: offset, detail: "\(String(decoding: text.prefix(24), as: UTF8.self)) does not fit a \(type) input")
    }
}
