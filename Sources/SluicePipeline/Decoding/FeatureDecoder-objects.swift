/// Walking the event's objects and arrays, and the float columns' fast path.
extension FeatureDecoder {
    func decodeObject(node: Int, cursor: inout JSONCursor, tables: Tables, depth: Int) throws(FeatureDecodingError) {
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
            try decodeArray(firstColumn: firstColumn, length: length, feature: feature, isFloat: true, cursor: &cursor, tables: tables, depth: depth)
        case .typedScalar(let column, _):
            try decodeTyped(column: column, cursor: &cursor, writer: tables.writer)
        case .typedArray(let firstColumn, let length, let feature):
            try decodeArray(firstColumn: firstColumn, length: length, feature: feature, isFloat: false, cursor: &cursor, tables: tables, depth: depth)
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

    /// Reads the number at the cursor (its first byte, `-` or a digit, is current) for float lane
    /// `column`, rounded to the nearest `Float` (ties to even) as `Float(String)` would; one that
    /// rounds to ±infinity is an `out_of_range` error naming the column's feature.
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
            throw FeatureDecodingError(.outOfRange, path: path(column: self.column(ofLane: column)), offset: error.offset, detail: error.detail)
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
                path: path(column: self.column(ofLane: column)),
                offset: cursor.index,
                detail: "expected a number or a boolean, found \(JSONKind.name(startingWith: cursor.current))"
            )
        default:
            throw cursor.unexpected("a value")
        }
    }

    /// An array feature: float lanes from `firstColumn` for a float input, columns from
    /// `firstColumn` through the writer otherwise.
    private func decodeArray(
        firstColumn: Int,
        length: Int,
        feature: Int,
        isFloat: Bool,
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
            clear(firstColumn: firstColumn, length: length, isFloat: isFloat, tables: tables)
            return
        default:
            throw try wrongType(at: &cursor, depth: depth, path: path(feature: feature, element: nil), expected: "an array of \(length) \(isFloat ? "numbers" : "values")")
        }
        guard depth < JSONCursor.maximumDepth else { throw cursor.tooDeep() }
        cursor.index += 1
        cursor.skipWhitespace()
        var count = 0
        if cursor.current == UInt8(ascii: "]") {
            cursor.index += 1
        } else {
            while true {
                if count >= length {
                    try cursor.skipValue(depth: depth + 1)
                } else if isFloat {
                    tables.row[firstColumn + count] =
                        JSONCursor.startsNumber(cursor.current)
                        ? try readFloat(&cursor, column: firstColumn + count)
                        : try readNumberOrBoolean(&cursor, column: firstColumn + count) ?? .nan
                } else {
                    try decodeTyped(column: firstColumn + count, cursor: &cursor, writer: tables.writer)
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

    private func clear(firstColumn: Int, length: Int, isFloat: Bool, tables: Tables) {
        if isFloat {
            (tables.row + firstColumn).update(repeating: .nan, count: length)
        } else {
            for column in firstColumn..<(firstColumn + length) { tables.writer.setMissing(column: column) }
        }
    }

    /// A `wrong_type` for the value at the cursor, once the value is checked to be valid JSON
    /// (an `invalid_json` within it takes precedence). Out of line, like every error, so that
    /// the hot paths carry no string code.
    @inline(never)
    func wrongType(at cursor: inout JSONCursor, depth: Int, path: String, expected: String) throws(FeatureDecodingError) -> FeatureDecodingError {
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
            case .array(let firstColumn, let length, _): clear(firstColumn: firstColumn, length: length, isFloat: true, tables: tables)
            case .typedScalar(let column, _): tables.writer.setMissing(column: column)
            case .typedArray(let firstColumn, let length, _): clear(firstColumn: firstColumn, length: length, isFloat: false, tables: tables)
            case .object(let child): clearColumns(under: child, tables: tables)
            }
        }
    }
}
