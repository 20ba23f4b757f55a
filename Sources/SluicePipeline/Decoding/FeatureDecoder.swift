import SluiceKernels

/// Model input specs compiled for decoding JSON events into rows of every model input.
///
/// `decode` parses the payload's bytes in one pass, in place: no Foundation, no DOM and no
/// allocation for valid events whose features are numbers or booleans (string features are copied
/// into the batch). Only the fields the specs name are converted; every other value is stepped
/// over, but checked against the JSON grammar: an event is accepted only when the whole payload is
/// one well-formed JSON object. The first problem in document order is the one reported.
///
/// Semantics, chosen to match what producers of such events expect:
/// - Numbers are rounded to the nearest `Float` exactly as `Float(String)` does (`Double` for a
///   double input); one whose magnitude rounds beyond `Float`'s range fails the event with
///   `out_of_range` (the model would score an infinity into NaN), while tiny magnitudes round to
///   zero. `true` and `false` read as 1 and 0. An int64 or int32 input takes integers only; a bool
///   input `true`, `false`, 0 and 1. A string input takes strings (unescaped), and numbers and
///   booleans as their JSON text.
/// - `null`, an absent field, or an absent parent object count as missing: the feature's default
///   fills the column, or the event fails with `missing_feature`. For an array feature the
///   default applies per `null` element.
/// - Duplicate keys: the last occurrence wins, as with JavaScript's `JSON.parse`, Python's `json`
///   and Foundation's `JSONSerialization`; but every occurrence of a feature must have a usable
///   type, so a duplicate never hides a `wrong_type` (it is a producer bug worth seeing).
/// - The grammar is RFC 8259's, strictly: no trailing commas, comments, `NaN` or leading zeros.
/// - Keys are compared after unescaping, so `"am\u006funt"` is `amount`.
public struct FeatureDecoder: Sendable {
    /// The specs this decoder was compiled from, one per model input.
    public let inputs: [InputSpec]
    /// Where the decoded values go: one column per feature element, input after input.
    public let layout: ModelInputLayout
    /// The number of floats one event fills (every column, for a layout of floats alone).
    public var width: Int { layout.lanes.float }

    /// The spec of the first input: for a single float input, all its features.
    public var spec: FeatureSpec { inputs.first?.features ?? FeatureSpec([]) }

    let nodes: [Node]
    let members: [Member]
    let keyBytes: [UInt8]
    /// Every input's features, in column order; the targets' `feature` indexes it.
    let features: [FeatureSpec.Feature]
    /// The feature (in ``features``) and array element of each column.
    let columnSources: [(feature: Int, element: Int?)]

    /// An object of the event that holds features: its members are `members[firstMember...]`.
    struct Node {
        var firstMember: Int
        var memberCount: Int
    }

    /// A key the spec cares about in one object.
    struct Member {
        var keyStart: Int
        var keyCount: Int
        /// The key's first eight bytes, little-endian and zero-padded, to compare in one step.
        var keyPrefix: UInt64
        var target: Target
    }

    /// What a member's value fills. Float columns are addressed by their lane in the row of floats,
    /// which they are written to directly; other columns by column number, through the writer.
    enum Target {
        case scalar(column: Int, feature: Int)
        case array(firstColumn: Int, length: Int, feature: Int)
        case typedScalar(column: Int, feature: Int)
        case typedArray(firstColumn: Int, length: Int, feature: Int)
        case object(node: Int)
    }

    /// Compiles one float input's `spec`: the shape of a single float input model's rows.
    public init(spec: FeatureSpec) throws(FeatureSpecError) {
        try self.init(inputs: [InputSpec(name: "", features: spec)])
    }

    /// Compiles `inputs`, rejecting empty path segments, lengths below 1, a row shape that is not
    /// as many elements as the features' columns, a string default for a numeric input (or a
    /// numeric one for a string input), and paths that clash (the same path twice, or a feature
    /// that is also the parent of another).
    public init(inputs: [InputSpec]) throws(FeatureSpecError) {
        let builder = Builder()
        var descriptions: [ModelInputLayout.InputDescription] = []
        var features: [FeatureSpec.Feature] = []
        var sources: [(feature: Int, element: Int?)] = []
        var floatLanes = 0
        for input in inputs {
            var defaults: [InputValue?] = []
            for feature in input.features.features {
                let index = features.count
                try Self.check(feature, index: index, of: input)
                let isFloat = input.elementType == .float
                let first = isFloat ? floatLanes : sources.count
                let target: Target =
                    switch (feature.length, isFloat) {
                    case (let length?, true): .array(firstColumn: first, length: length, feature: index)
                    case (nil, true): .scalar(column: first, feature: index)
                    case (let length?, false): .typedArray(firstColumn: first, length: length, feature: index)
                    case (nil, false): .typedScalar(column: first, feature: index)
                    }
                try builder.insert(keys: feature.keys[...], target: target, featureIndex: index, path: feature.path)
                for element in 0..<feature.width {
                    sources.append((index, feature.length == nil ? nil : element))
                    defaults.append(feature.defaultInputValue)
                }
                if isFloat { floatLanes += feature.width }
                features.append(feature)
            }
            let rowShape = input.rowShape ?? [defaults.count]
            guard rowShape.reduce(1, *) == defaults.count else {
                throw FeatureSpecError(
                    featureIndex: features.count - 1, field: "shape",
                    detail: "input '\(input.name)' has shape \(rowShape) per row, but its features fill \(defaults.count) values"
                )
            }
            descriptions.append(.init(name: input.name, elementType: input.elementType, rowShape: rowShape, defaults: defaults))
        }
        self.inputs = inputs
        self.layout = ModelInputLayout(descriptions)
        self.features = features
        self.columnSources = sources
        (self.nodes, self.members, self.keyBytes) = builder.flatten()
    }

    private static func check(_ feature: FeatureSpec.Feature, index: Int, of input: InputSpec) throws(FeatureSpecError) {
        if let length = feature.length, length < 1 {
            throw FeatureSpecError(featureIndex: index, field: "length", detail: "must be at least 1, got \(length)")
        }
        if feature.keys.contains(where: \.isEmpty) {
            throw FeatureSpecError(featureIndex: index, field: "path", detail: "'\(feature.path)' has an empty segment")
        }
        let isString = input.elementType == .string
        if isString ? feature.defaultValue != nil : feature.defaultString != nil {
            throw FeatureSpecError(
                featureIndex: index, field: "default",
                detail: "input '\(input.name)' is \(input.elementType): its default must be \(isString ? "a string" : "a number")"
            )
        }
    }

    /// Decodes one JSON event into `row`, which must hold exactly ``width`` floats; only for a
    /// layout of floats alone (``ModelInputLayout/isFloatOnly``).
    ///
    /// On error the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, into row: UnsafeMutableBufferPointer<Float>) throws(FeatureDecodingError) {
        precondition(row.count == width, "a row of \(width) features, not \(row.count)")
        precondition(layout.isFloatOnly, "a row with values other than floats: decode into an InputRowWriter")
        try layout.columns.withUnsafeBufferPointer { (columns) throws(FeatureDecodingError) in
            var writer = InputRowWriter(floatRow: row, columns: columns, lanes: layout.lanes)
            writer.clear()
            try decode(payload, into: writer)
        }
    }

    /// Decodes one JSON event into the row `writer` lends (every column missing on entry).
    ///
    /// On error the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, into writer: InputRowWriter) throws(FeatureDecodingError) {
        guard let base = payload.baseAddress, payload.count > 0 else {
            throw FeatureDecodingError(.invalidJSON, path: "$", offset: 0, detail: "empty payload")
        }
        guard writer.columnCount > 0 else { return try validateOnly(payload) }
        var cursor = JSONCursor(base: base.assumingMemoryBound(to: UInt8.self), count: payload.count)
        try nodes.withUnsafeBufferPointer { nodes throws(FeatureDecodingError) in
            try members.withUnsafeBufferPointer { members throws(FeatureDecodingError) in
                try keyBytes.withUnsafeBufferPointer { keys throws(FeatureDecodingError) in
                    let tables = Tables(nodes: nodes, members: members, keys: keys.baseAddress!, row: writer.floats, writer: writer)
                    cursor.skipWhitespace()
                    guard cursor.current == UInt8(ascii: "{") else { return try validateOnly(payload) }
                    try decodeObject(node: 0, cursor: &cursor, tables: tables, depth: 1)
                }
            }
        }
        let closingBrace = cursor.index - 1
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.invalid(unexpected: "after the JSON value") }
        if let column = writer.fillMissing() {
            throw FeatureDecodingError(.missingFeature, path: path(column: column), offset: closingBrace, detail: "absent or null, and no default")
        }
    }

    /// Checks a payload whose features need not be read: a spec without features, or an event that
    /// is not an object (`invalid_json` takes precedence over `wrong_type`).
    private func validateOnly(_ payload: UnsafeRawBufferPointer) throws(FeatureDecodingError) {
        var cursor = JSONCursor(base: payload.baseAddress!.assumingMemoryBound(to: UInt8.self), count: payload.count)
        cursor.skipWhitespace()
        let at = cursor.index
        let isObject = cursor.current == UInt8(ascii: "{")
        try cursor.skipValue(depth: 0)
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.invalid(unexpected: "after the JSON value") }
        guard isObject else { throw FeatureDecodingError(.wrongType, path: "$", offset: at, detail: "expected a JSON object") }
    }

    struct Tables {
        let nodes: UnsafeBufferPointer<Node>
        let members: UnsafeBufferPointer<Member>
        let keys: UnsafePointer<UInt8>
        /// The row of floats, by lane.
        let row: UnsafeMutablePointer<Float>
        let writer: InputRowWriter
    }

    /// The column of float lane `lane`.
    func column(ofLane lane: Int) -> Int {
        layout.columns.firstIndex { $0.presence < 0 && $0.lane == lane } ?? lane
    }

    /// The path of the feature, or array element, that fills `column`.
    func path(column: Int) -> String {
        path(feature: columnSources[column].feature, element: columnSources[column].element)
    }

    func path(feature: Int, element: Int?) -> String {
        let path = features[feature].path
        guard let element else { return path }
        return "\(path)[\(element)]"
    }

    /// The dotted path of an intermediate object, taken from the first feature below it.
    func parentPath(of node: Int) -> String {
        var depth = 0
        var current = node
        var feature: Int?
        while feature == nil {
            depth += 1
            switch members[nodes[current].firstMember].target {
            case .scalar(_, let index), .array(_, _, let index), .typedScalar(_, let index), .typedArray(_, _, let index): feature = index
            case .object(let child): current = child
            }
        }
        let keys = features[feature!].keys
        return keys.dropLast(depth).joined(separator: ".")
    }
}
