/// One step of an ``AvroPlan``: read a value into a column, step over one, or branch.
enum AvroOperation: Sendable {
    case readInt(column: Int)
    case readLong(column: Int)
    case readFloat(column: Int)
    case readDouble(column: Int)
    case readBoolean(column: Int)
    /// An array of numbers into `length` columns from `firstColumn`, which must have exactly
    /// `length` elements.
    case readArray(firstColumn: Int, length: Int, element: AvroNumber, feature: Int)
    case skipVarint
    case skipBoolean
    case skipBytes(Int)
    /// `bytes` or `string`.
    case skipLengthPrefixed
    case skipEnum(symbolCount: Int)
    /// Array or map blocks, each item (after its key, for a map) read by `program`.
    case skipBlocks(program: Int, isMap: Bool)
    /// A union: the branch index, then the branch's program (`branches[firstBranch + index]`).
    case union(firstBranch: Int, count: Int)
    /// Runs `program`: a skipped record, shared so that a recursive record can be skipped.
    case call(program: Int)
    /// The writer's schema cannot fill a feature here: fails with `failures[index]`.
    case fail(Int)
}

/// The Avro types a feature column can be read from.
enum AvroNumber: Sendable {
    case int, long, float, double, boolean

    init?(_ schema: AvroSchema) {
        switch schema {
        case .int: self = .int
        case .long: self = .long
        case .float: self = .float
        case .double: self = .double
        case .boolean: self = .boolean
        default: return nil
        }
    }

    func operation(column: Int) -> AvroOperation {
        switch self {
        case .int: .readInt(column: column)
        case .long: .readLong(column: column)
        case .float: .readFloat(column: column)
        case .double: .readDouble(column: column)
        case .boolean: .readBoolean(column: column)
        }
    }
}
