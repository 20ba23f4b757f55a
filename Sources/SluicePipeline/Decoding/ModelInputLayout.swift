import SluiceKernels

/// Where each value of an event goes among a model's inputs: the inputs (name, element type,
/// shape of one row) and their columns, numbered input after input and element after element.
///
/// A decoder (JSON, Avro, Protobuf) fills one batch row through an ``InputRowWriter``, addressing
/// a value by its column number. Every column is stored in the row of values of its element type
/// (its *lane* there): all float columns in one row of floats, all string columns in one row of
/// strings, and so on. For a model with a single float input the row of floats is exactly that
/// input's row, so that case decodes and scores as a plain float matrix, copying nothing.
public struct ModelInputLayout: Sendable, Hashable {
    /// One model input.
    public struct Input: Sendable, Hashable {
        /// The model input's name.
        public var name: String
        public var elementType: ElementType
        /// The input's dimensions after the batch dimension: `[8]` for an input of shape `[N, 8]`.
        public var rowShape: [Int]
        /// The input's columns in ``ModelInputLayout/columns``.
        public var columns: Range<Int>

        /// Values per row: the product of ``rowShape``.
        public var width: Int { columns.count }
    }

    /// One value of a row: which input and element it fills, and where it is stored.
    public struct Column: Sendable, Hashable {
        /// The index of its input in ``ModelInputLayout/inputs``.
        public var input: Int
        /// The element within the input's row (row-major).
        public var element: Int
        public var elementType: ElementType
        /// Its index in the row of values of ``elementType``.
        public var lane: Int
        /// Its index among the columns that are not float, which record whether they were written;
        /// -1 for a float column, where NaN marks a missing value.
        public var presence: Int
        /// What fills the column when the event has no value for it; `nil` makes such an event
        /// undecodable (`missing_feature`).
        public var defaultValue: InputValue?
    }

    public let inputs: [Input]
    public let columns: [Column]
    /// The number of columns of each element type, that is the length of each row of values.
    public let lanes: Lanes

    /// Columns per element type.
    public struct Lanes: Sendable, Hashable {
        public var float = 0, double = 0, int64 = 0, int32 = 0, bool = 0, string = 0

        /// Columns that record their presence: every type but float.
        public var presence: Int { double + int64 + int32 + bool + string }

        subscript(type: ElementType) -> Int {
            get {
                switch type {
                case .float: float
                case .double: double
                case .int64: int64
                case .int32: int32
                case .bool: bool
                case .string: string
                }
            }
            set {
                switch type {
                case .float: float = newValue
                case .double: double = newValue
                case .int64: int64 = newValue
                case .int32: int32 = newValue
                case .bool: bool = newValue
                case .string: string = newValue
                }
            }
        }
    }

    /// The description of one input to lay out: `defaults` has one entry per element of its row
    /// (`nil` where a missing value is an error).
    public struct InputDescription: Sendable, Hashable {
        public var name: String
        public var elementType: ElementType
        public var rowShape: [Int]
        public var defaults: [InputValue?]

        public init(name: String, elementType: ElementType, rowShape: [Int], defaults: [InputValue?]) {
            precondition(defaults.count == rowShape.reduce(1, *), "one default per element of the row")
            self.name = name
            self.elementType = elementType
            self.rowShape = rowShape
            self.defaults = defaults
        }
    }

    public init(_ descriptions: [InputDescription]) {
        var inputs: [Input] = []
        var columns: [Column] = []
        var lanes = Lanes()
        for (index, description) in descriptions.enumerated() {
            let first = columns.count
            for (element, defaultValue) in description.defaults.enumerated() {
                let isFloat = description.elementType == .float
                columns.append(
                    Column(
                        input: index,
                        element: element,
                        elementType: description.elementType,
                        lane: lanes[description.elementType],
                        presence: isFloat ? -1 : lanes.presence,
                        defaultValue: defaultValue
                    )
                )
                lanes[description.elementType] += 1
            }
            inputs.append(Input(name: description.name, elementType: description.elementType, rowShape: description.rowShape, columns: first..<columns.count))
        }
        self.inputs = inputs
        self.columns = columns
        self.lanes = lanes
    }

    /// A layout of one float input of `width` values per row and no defaults: the shape of the
    /// batches of a single float input model.
    public static func singleFloatInput(named name: String = "", width: Int) -> ModelInputLayout {
        ModelInputLayout([InputDescription(name: name, elementType: .float, rowShape: [width], defaults: Array(repeating: nil, count: width))])
    }

    /// Whether every column is a float, so that the row of floats is the whole row and, with one
    /// input, that input's row.
    public var isFloatOnly: Bool { lanes.presence == 0 }
}

/// A value that fills a column: a default, or what a test expects a decoder to write.
public enum InputValue: Sendable, Hashable {
    case number(Double)
    case bool(Bool)
    case string(String)
}
