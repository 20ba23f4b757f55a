/// Where a schema-driven decoder (Avro, Protobuf) puts what it reads: the columns of every model
/// input (``ModelInputLayout``), one per scalar feature and `length` per array feature, addressed
/// by field name along each feature's dotted path. The features and their columns are the JSON
/// decoder's, so that an event decodes into the same row whatever its format.
final class FeatureRowTarget: Sendable {
    /// Where the field of a given name goes, in one record of the event. Columns are layout
    /// columns (``ModelInputLayout/columns``).
    enum Destination: Sendable {
        case scalar(column: Int)
        case array(firstColumn: Int, length: Int, feature: Int)
        /// A nested record holding features: its fields' destinations.
        case record(Fields)
    }

    /// The destinations of one record's fields, by field name.
    final class Fields: Sendable {
        let byName: [String: Destination]

        init(_ byName: [String: Destination]) {
            self.byName = byName
        }
    }

    /// The JSON decoder of the same features: the layout, and the paths errors name.
    let features: FeatureDecoder
    /// The top-level record's fields.
    let root: Fields

    var layout: ModelInputLayout { features.layout }

    /// The targets of the features `features` was compiled from (which has checked that no paths
    /// clash).
    init(features: FeatureDecoder) {
        self.features = features
        var tree = PathTree()
        var column = 0
        for (index, feature) in features.features.enumerated() {
            let destination: Destination =
                feature.length.map { .array(firstColumn: column, length: $0, feature: index) } ?? .scalar(column: column)
            tree.insert(feature.keys.map(String.init)[...], destination)
            column += feature.width
        }
        root = tree.fields()
    }

    /// The column's lane in the row of floats when it is a float column, where a decoder writes
    /// it directly; `nil` for any other type, written through the ``InputRowWriter``.
    func floatLane(of column: Int) -> Int? {
        let description = layout.columns[column]
        return description.elementType == .float ? description.lane : nil
    }

    /// Fills each column no value filled with its feature's default, or fails with
    /// `missing_feature` for the first without one; `offset` is where the event ended.
    @inline(__always)
    func fillMissing(_ writer: InputRowWriter, offset: Int) throws(FeatureDecodingError) {
        if let column = writer.fillMissing() {
            throw FeatureDecodingError(.missingFeature, path: path(column: column), offset: offset, detail: "absent or null, and no default")
        }
    }

    /// Fails with `out_of_range` for the first float column holding an infinity.
    @inline(__always)
    func checkFloatsFinite(_ writer: InputRowWriter, offset: Int) throws(FeatureDecodingError) {
        for lane in 0..<layout.lanes.float where writer.floats[lane].isInfinite {
            throw FeatureDecodingError(
                .outOfRange, path: path(column: features.column(ofLane: lane)), offset: offset, detail: "beyond the range of a 32-bit float (±3.4028235e38)"
            )
        }
    }

    /// Writes a number read from the event into a column that is not float: NaN is missing, an
    /// infinity `out_of_range`, and a number the column's type cannot hold is refused as the JSON
    /// decoder refuses it.
    @inline(__always)
    func write(number value: Double, column: Int, writer: InputRowWriter, offset: Int) throws(FeatureDecodingError) {
        if value.isNaN { return writer.setMissing(column: column) }
        guard value.isFinite, writer.set(number: value, column: column) else { throw refused("\(value)", integral: value.rounded() == value, column: column, offset: offset) }
    }

    /// Writes an integer read from the event into a column that is not float, exactly.
    @inline(__always)
    func write(integer value: Int64, column: Int, writer: InputRowWriter, offset: Int) throws(FeatureDecodingError) {
        guard writer.set(integer: value, column: column) else { throw refused("\(value)", integral: true, column: column, offset: offset) }
    }

    /// A value the column's type cannot take: a string column's number, a non-integral number for
    /// an integer column, anything but 0 and 1 for a bool column (`wrong_type`), or a number beyond
    /// the column's range (`out_of_range`).
    @inline(never)
    func refused(_ text: String, integral: Bool, column: Int, offset: Int) -> FeatureDecodingError {
        let type = layout.columns[column].elementType
        let kind: FeatureDecodingError.Kind = type == .string || type == .bool || !integral ? .wrongType : .outOfRange
        return FeatureDecodingError(kind, path: path(column: column), offset: offset, detail: "\(text) does not fit a \(type) input")
    }

    /// The path of the feature, or array element, that fills `column`.
    func path(column: Int) -> String { features.path(column: column) }

    /// The path of feature `feature`.
    func path(feature: Int) -> String { features.features[feature].path }

    /// The features' paths as nested dictionaries, built before they are frozen into ``Fields``.
    private struct PathTree {
        var leaves: [String: Destination] = [:]
        var children: [String: PathTree] = [:]

        mutating func insert(_ keys: ArraySlice<String>, _ destination: Destination) {
            guard let key = keys.first else { return }
            if keys.count == 1 {
                leaves[key] = destination
            } else {
                children[key, default: PathTree()].insert(keys.dropFirst(), destination)
            }
        }

        func fields() -> Fields {
            var byName = leaves
            for (key, child) in children { byName[key] = .record(child.fields()) }
            return Fields(byName)
        }
    }
}

extension ModelInputLayout {
    /// Lends `body` a writer for `row`, a row of floats alone, every column missing on entry.
    func withWriter<R, E: Error>(floatRow row: UnsafeMutableBufferPointer<Float>, _ body: (InputRowWriter) throws(E) -> R) throws(E) -> R {
        precondition(isFloatOnly && row.count == lanes.float, "a row of \(lanes.float) floats alone, not \(row.count)")
        return try columns.withUnsafeBufferPointer { (columns) throws(E) -> R in
            var writer = InputRowWriter(floatRow: row, columns: columns, lanes: lanes)
            writer.clear()
            return try body(writer)
        }
    }
}
