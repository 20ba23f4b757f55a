/// A ``FeatureSpec`` compiled for decoding JSON events into float rows.
///
/// `decode` parses the payload's bytes in one pass, in place: no Foundation, no DOM and no
/// allocation for valid events. Only the fields the spec names are converted; every other value
/// is stepped over, but checked against the JSON grammar: an event is accepted only when the
/// whole payload is one well-formed JSON object. The first problem in document order is the one
/// reported.
///
/// Semantics, chosen to match what producers of such events expect:
/// - Numbers are rounded to the nearest `Float` exactly as `Float(String)` does; one whose magnitude
///   rounds beyond `Float`'s range fails the event with `out_of_range` (the model would score an
///   infinity into NaN), while tiny magnitudes round to zero. `true` and `false` read as 1 and 0.
/// - `null`, an absent field, or an absent parent object count as missing: the feature's default
///   fills the column, or the event fails with `missing_feature`. For an array feature the
///   default applies per `null` element.
/// - Duplicate keys: the last occurrence wins, as with JavaScript's `JSON.parse`, Python's `json`
///   and Foundation's `JSONSerialization`; but every occurrence of a feature must have a usable
///   type, so a duplicate never hides a `wrong_type` (it is a producer bug worth seeing).
/// - The grammar is RFC 8259's, strictly: no trailing commas, comments, `NaN` or leading zeros.
/// - Keys are compared after unescaping, so `"am\u006funt"` is `amount`.
public struct FeatureDecoder: Sendable {
    /// The spec this decoder was compiled from.
    public let spec: FeatureSpec
    /// The number of floats one event fills.
    public let width: Int

    let nodes: [Node]
    let members: [Member]
    let keyBytes: [UInt8]
    private let columns: [Column]

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

    enum Target {
        case scalar(column: Int, feature: Int)
        case array(firstColumn: Int, length: Int, feature: Int)
        case object(node: Int)
    }

    /// What to do with a column that no value filled.
    private struct Column {
        var defaultValue: Float
        var hasDefault: Bool
        var feature: Int
        var element: Int?
    }

    /// Compiles `spec`, rejecting empty path segments, lengths below 1, and paths that clash (the
    /// same path twice, or a feature that is also the parent of another).
    public init(spec: FeatureSpec) throws(FeatureSpecError) {
        let builder = Builder()
        var columns: [Column] = []
        for (index, feature) in spec.features.enumerated() {
            if let length = feature.length, length < 1 {
                throw FeatureSpecError(featureIndex: index, field: "length", detail: "must be at least 1, got \(length)")
            }
            let keys = feature.keys
            if keys.contains(where: \.isEmpty) {
                throw FeatureSpecError(featureIndex: index, field: "path", detail: "'\(feature.path)' has an empty segment")
            }
            let target: Target =
                if let length = feature.length {
                    .array(firstColumn: columns.count, length: length, feature: index)
                } else {
                    .scalar(column: columns.count, feature: index)
                }
            try builder.insert(keys: keys[...], target: target, featureIndex: index, path: feature.path)
            for element in 0..<feature.width {
                columns.append(
                    Column(
                        defaultValue: feature.defaultValue ?? 0,
                        hasDefault: feature.defaultValue != nil,
                        feature: index,
                        element: feature.length == nil ? nil : element
                    )
                )
            }
        }
        self.spec = spec
        self.width = columns.count
        self.columns = columns
        (self.nodes, self.members, self.keyBytes) = builder.flatten()
    }

    /// Decodes one JSON event into `row`, which must hold exactly ``width`` floats.
    ///
    /// On error the row's contents are unspecified.
    public func decode(_ payload: UnsafeRawBufferPointer, into row: UnsafeMutableBufferPointer<Float>) throws(FeatureDecodingError) {
        precondition(row.count == width, "a row of \(width) features, not \(row.count)")
        guard let base = payload.baseAddress, payload.count > 0 else {
            throw FeatureDecodingError(.invalidJSON, path: "$", offset: 0, detail: "empty payload")
        }
        guard width > 0, let rowBase = row.baseAddress else { return try validateOnly(payload) }
        rowBase.initialize(repeating: .nan, count: width)
        var cursor = JSONCursor(base: base.assumingMemoryBound(to: UInt8.self), count: payload.count)
        try nodes.withUnsafeBufferPointer { nodes throws(FeatureDecodingError) in
            try members.withUnsafeBufferPointer { members throws(FeatureDecodingError) in
                try keyBytes.withUnsafeBufferPointer { keys throws(FeatureDecodingError) in
                    let tables = Tables(nodes: nodes, members: members, keys: keys.baseAddress!, row: rowBase)
                    cursor.skipWhitespace()
                    guard cursor.current == UInt8(ascii: "{") else { return try validateOnly(payload) }
                    try decodeObject(node: 0, cursor: &cursor, tables: tables, depth: 1)
                }
            }
        }
        let closingBrace = cursor.index - 1
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.invalid(unexpected: "after the JSON value") }
        try fillMissing(rowBase, objectEnd: closingBrace)
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

    private struct Tables {
        let nodes: UnsafeBufferPointer<Node>
        let members: UnsafeBufferPointer<Member>
        let keys: UnsafePointer<UInt8>
        let row: UnsafeMutablePointer<Float>
    }

    private func decodeObject(node: Int, cursor: inout JSONCursor, tables: Tables, depth: Int) throws(FeatureDecodingError) {
        guard depth <= JSONCursor.maximumDepth else { throw cursor.tooDeep() }
        let object = tables.nodes[node]
        cursor.index += 1
        cursor.skipWhitespace()
        if cursor.current == UInt8(ascii: "}") {
            cursor.index += 1
            return
        }
        while true {
            guard cursor.current == UInt8(ascii: "\"") else { throw cursor.unexpected("a string key") }
            let key = try cursor.scanString()
            cursor.skipWhitespace()
            try cursor.expect(UInt8(ascii: ":"), "':' after a key")
            cursor.skipWhitespace()
            let member = findMember(key, in: object, cursor: cursor, tables: tables)
            if let member {
                try decodeValue(of: member, cursor: &cursor, tables: tables, depth: depth)
            } else {
                try cursor.skipValue(depth: depth)
            }
            cursor.skipWhitespace()
            switch cursor.current {
            case UInt8(ascii: ","):
                cursor.index += 1
                cursor.skipWhitespace()
            case UInt8(ascii: "}"):
                cursor.index += 1
                return
            default:
                throw cursor.unexpected("',' or '}' after an object member")
            }
        }
    }

    @inline(__always)
    private func findMember(
        _ key: (start: Int, count: Int, isEscaped: Bool),
        in object: Node,
        cursor: JSONCursor,
        tables: Tables
    ) -> Member? {
        let keyStart = cursor.base + key.start
        let range = object.firstMember..<(object.firstMember + object.memberCount)
        if key.isEscaped {
            for index in range {
                let member = tables.members[index]
                if JSONKey.unescaped(keyStart, count: key.count, equals: tables.keys + member.keyStart, count: member.keyCount) {
                    return member
                }
            }
            return nil
        }
        guard cursor.end - key.start >= 8 else {
            for index in range {
                let member = tables.members[index]
                if member.keyCount == key.count, JSONKey.equal(keyStart, tables.keys + member.keyStart, count: key.count) {
                    return member
                }
            }
            return nil
        }
        let prefix = JSONKey.prefix(keyStart, count: key.count)
        for index in range {
            let member = tables.members[index]
            if member.keyPrefix == prefix, member.keyCount == key.count,
                key.count <= 8 || JSONKey.equal(keyStart + 8, tables.keys + member.keyStart + 8, count: key.count - 8)
            {
                return member
            }
        }
        return nil
    }

    @inline(__always)
    private func decodeValue(of member: Member, cursor: inout JSONCursor, tables: Tables, depth: Int) throws(FeatureDecodingError) {
        switch member.target {
        case .scalar(let column, _):
            if JSONCursor.startsNumber(cursor.current) {
                tables.row[column] = try readFloat(&cursor, column: column)
            } else if let value = try readNumberOrBoolean(&cursor, column: column) {
                tables.row[column] = value
            } else {
                tables.row[column] = .nan
            }
        case .array(let firstColumn, let length, let feature):
            try decodeArray(firstColumn: firstColumn, length: length, feature: feature, cursor: &cursor, tables: tables, depth: depth)
        case .object(let node):
            switch cursor.current {
            case UInt8(ascii: "{"):
                clearColumns(under: node, tables: tables)
                try decodeObject(node: node, cursor: &cursor, tables: tables, depth: depth + 1)
            case UInt8(ascii: "n"):
                try cursor.skipLiteral("null")
                clearColumns(under: node, tables: tables)
            default:
                throw try wrongType(at: &cursor, depth: depth, path: parentPath(of: node), expected: "an object")
            }
        }
    }

    /// Reads the number at the cursor (its first byte, `-` or a digit, is current) for `column`,
    /// rounded to the nearest `Float` (ties to even) as `Float(String)` would; one that rounds to
    /// ±infinity is an `out_of_range` error naming the column's feature.
    @inline(__always)
    private func readFloat(_ cursor: inout JSONCursor, column: Int) throws(FeatureDecodingError) -> Float {
        if let value = cursor.readShortDecimal() { return value }
        return try readAnyFloat(&cursor, column: column)
    }

    // Out of line, and given only the column (live anyway for the store), so that the common
    // numbers' path keeps its registers: passing the feature and element instead cost 4%.
    @inline(never)
    private func readAnyFloat(_ cursor: inout JSONCursor, column: Int) throws(FeatureDecodingError) -> Float {
        do {
            return try cursor.readAnyFloat()
        } catch where error.kind == .outOfRange {
            throw FeatureDecodingError(.outOfRange, path: path(column: column), offset: error.offset, detail: error.detail)
        }
    }

    /// A number, a boolean as 1 or 0, or `nil` for `null`; any other value is a `wrong_type`.
    @inline(__always)
    private func readNumberOrBoolean(_ cursor: inout JSONCursor, column: Int) throws(FeatureDecodingError) -> Float? {
        switch cursor.current {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readFloat(&cursor, column: column)
        case UInt8(ascii: "t"):
            try cursor.skipLiteral("true")
            return 1
        case UInt8(ascii: "f"):
            try cursor.skipLiteral("false")
            return 0
        case UInt8(ascii: "n"):
            try cursor.skipLiteral("null")
            return nil
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["):
            throw FeatureDecodingError(
                .wrongType,
                path: path(column: column),
                offset: cursor.index,
                detail: "expected a number or a boolean, found \(JSONKind.name(startingWith: cursor.current))"
            )
        default:
            throw cursor.unexpected("a value")
        }
    }

    private func decodeArray(
        firstColumn: Int,
        length: Int,
        feature: Int,
        cursor: inout JSONCursor,
        tables: Tables,
        depth: Int
    ) throws(FeatureDecodingError) {
        let start = cursor.index
        switch cursor.current {
        case UInt8(ascii: "["):
            break
        case UInt8(ascii: "n"):
            try cursor.skipLiteral("null")
            (tables.row + firstColumn).update(repeating: .nan, count: length)
            return
        default:
            throw try wrongType(at: &cursor, depth: depth, feature: feature, expected: "an array of \(length) numbers")
        }
        guard depth < JSONCursor.maximumDepth else { throw cursor.tooDeep() }
        cursor.index += 1
        cursor.skipWhitespace()
        var count = 0
        if cursor.current == UInt8(ascii: "]") {
            cursor.index += 1
        } else {
            while true {
                if count < length {
                    tables.row[firstColumn + count] =
                        JSONCursor.startsNumber(cursor.current)
                        ? try readFloat(&cursor, column: firstColumn + count)
                        : try readNumberOrBoolean(&cursor, column: firstColumn + count) ?? .nan
                } else {
                    try cursor.skipValue(depth: depth + 1)
                }
                count += 1
                cursor.skipWhitespace()
                switch cursor.current {
                case UInt8(ascii: ","):
                    cursor.index += 1
                    cursor.skipWhitespace()
                    continue
                case UInt8(ascii: "]"):
                    cursor.index += 1
                default:
                    throw cursor.unexpected("',' or ']' after an array element")
                }
                break
            }
        }
        guard count == length else { throw wrongLength(feature: feature, offset: start, expected: length, found: count) }
    }

    /// A `wrong_type` for the value at the cursor, once the value is checked to be valid JSON
    /// (an `invalid_json` within it takes precedence). Out of line, like every error, so that
    /// the hot paths carry no string code.
    @inline(never)
    private func wrongType(at cursor: inout JSONCursor, depth: Int, feature: Int, expected: String) throws(FeatureDecodingError) -> FeatureDecodingError {
        try wrongType(at: &cursor, depth: depth, path: path(feature: feature, element: nil), expected: expected)
    }

    @inline(never)
    private func wrongType(at cursor: inout JSONCursor, depth: Int, path: String, expected: String) throws(FeatureDecodingError) -> FeatureDecodingError {
        let at = cursor.index
        let found = JSONKind.name(startingWith: cursor.current)
        try cursor.skipValue(depth: depth)
        return FeatureDecodingError(.wrongType, path: path, offset: at, detail: "expected \(expected), found \(found)")
    }

    @inline(never)
    private func wrongLength(feature: Int, offset: Int, expected: Int, found: Int) -> FeatureDecodingError {
        FeatureDecodingError(.wrongLength, path: path(feature: feature, element: nil), offset: offset, detail: "expected \(expected) elements, found \(found)")
    }

    /// Forgets what an earlier duplicate of a parent object wrote, so that the last one wins.
    private func clearColumns(under node: Int, tables: Tables) {
        let object = tables.nodes[node]
        for index in object.firstMember..<(object.firstMember + object.memberCount) {
            switch tables.members[index].target {
            case .scalar(let column, _): tables.row[column] = .nan
            case .array(let firstColumn, let length, _): (tables.row + firstColumn).update(repeating: .nan, count: length)
            case .object(let child): clearColumns(under: child, tables: tables)
            }
        }
    }

    /// Replaces the columns no value filled with their defaults, or fails for the first one
    /// without.
    @inline(__always)
    private func fillMissing(_ row: UnsafeMutablePointer<Float>, objectEnd: Int) throws(FeatureDecodingError) {
        var anyMissing = false
        for column in 0..<width {
            anyMissing = anyMissing || row[column].isNaN
        }
        guard anyMissing else { return }
        try columns.withUnsafeBufferPointer { columns throws(FeatureDecodingError) in
            for column in 0..<width where row[column].isNaN {
                let description = columns[column]
                guard description.hasDefault else {
                    throw FeatureDecodingError(
                        .missingFeature,
                        path: path(feature: description.feature, element: description.element),
                        offset: objectEnd,
                        detail: "absent or null, and no default"
                    )
                }
                row[column] = description.defaultValue
            }
        }
    }

    /// The path of the feature, or array element, that fills `column`.
    private func path(column: Int) -> String {
        path(feature: columns[column].feature, element: columns[column].element)
    }

    private func path(feature: Int, element: Int?) -> String {
        let path = spec.features[feature].path
        guard let element else { return path }
        return "\(path)[\(element)]"
    }

    /// The dotted path of an intermediate object, taken from the first feature below it.
    private func parentPath(of node: Int) -> String {
        var depth = 0
        var current = node
        var feature: Int?
        while feature == nil {
            depth += 1
            switch members[nodes[current].firstMember].target {
            case .scalar(_, let index), .array(_, _, let index): feature = index
            case .object(let child): current = child
            }
        }
        let keys = spec.features[feature!].keys
        return keys.dropLast(depth).joined(separator: ".")
    }
}
