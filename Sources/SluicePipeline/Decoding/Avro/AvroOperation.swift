import SluiceKernels

/// One step of an ``AvroPlan``: read a value into a column, step over one, or branch.
///
/// A float column is addressed by its lane in the row of floats and written directly (the
/// single float input's fast path); any other column by its layout column, through the
/// ``InputRowWriter``.
enum AvroOperation: Sendable {
    case readInt(lane: Int)
    case readLong(lane: Int)
    case readFloat(lane: Int)
    case readDouble(lane: Int)
    case readBoolean(lane: Int)
    /// An array of numbers into the `length` float lanes from `firstLane`, which must have exactly
    /// `length` elements.
    case readArray(firstLane: Int, length: Int, element: AvroScalar, feature: Int)
    /// A value into a column that is not float (a string only into a string column).
    case readTyped(column: Int, AvroScalar)
    /// An array into the `length` columns from `firstColumn`, none of them float.
    case readTypedArray(firstColumn: Int, length: Int, element: AvroScalar, feature: Int)
    /// An enum's symbol, as its name, into a string column: `symbols[firstSymbol + index]`.
    case readEnumSymbol(column: Int, firstSymbol: Int, symbolCount: Int)
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

/// The Avro types a feature column can be read from: numbers and booleans into any column,
/// strings only into a string column.
enum AvroScalar: Sendable {
    case int, long, float, double, boolean, string

    init?(_ schema: AvroSchema) {
        switch schema {
        case .int: self = .int
        case .long: self = .long
        case .float: self = .float
        case .double: self = .double
        case .boolean: self = .boolean
        case .string: self = .string
        default: return nil
        }
    }

    /// The operation reading this type into float lane `lane`; `nil` for a string.
    func floatOperation(lane: Int) -> AvroOperation? {
        switch self {
        case .int: .readInt(lane: lane)
        case .long: .readLong(lane: lane)
        case .float: .readFloat(lane: lane)
        case .double: .readDouble(lane: lane)
        case .boolean: .readBoolean(lane: lane)
        case .string: nil
        }
    }

    /// Whether a column of `type` can take values of this type.
    func fits(_ type: ElementType) -> Bool {
        (self == .string) == (type == .string)
    }
}
