extension AvroPlan {
    /// Resolves a writer's schema against the features by field name, emitting the operations.
    struct Compiler {
        var operations: [AvroOperation] = []
        var programs: [Range<Int>] = []
        var branches: [Int] = []
        var failures: [FeatureDecodingError] = []
        /// The names of the enums read into string columns, as UTF-8.
        var symbols: [[UInt8]] = []
        /// Each skipped record's program, by record.
        private var recordPrograms: [ObjectIdentifier: Int] = [:]
        let target: FeatureRowTarget

        init(target: FeatureRowTarget) {
            self.target = target
        }

        /// Compiles `schema` as the event's top-level type; its program is number 0.
        mutating func compileTopLevel(_ schema: AvroSchema) {
            programs.append(0..<0)
            let body: [AvroOperation]
            if case .record(let record) = schema {
                body = recordBody(record, fields: target.root)
            } else {
                body = steps(schema, to: nil)
            }
            programs[0] = append(body)
        }

        private mutating func append(_ body: [AvroOperation]) -> Range<Int> {
            let start = operations.count
            operations += body
            return start..<operations.count
        }

        private mutating func program(_ body: [AvroOperation]) -> Int {
            programs.append(append(body))
            return programs.count - 1
        }

        /// A record's fields in order, each to its destination among `fields` or stepped over.
        private mutating func recordBody(_ record: AvroRecordSchema, fields: FeatureRowTarget.Fields) -> [AvroOperation] {
            record.fields.flatMap { field in steps(field.type, to: fields.byName[field.name]) }
        }

        /// The operations that read a value of `schema` into `destination`, or step over it.
        private mutating func steps(_ schema: AvroSchema, to destination: FeatureRowTarget.Destination?) -> [AvroOperation] {
            if case .union(let alternatives) = schema {
                let bodies = alternatives.map { alternative in
                    if case .null = alternative { return [AvroOperation]() }
                    return steps(alternative, to: destination)
                }
                let firstBranch = branches.count
                branches += bodies.map { _ in 0 }
                for (index, body) in bodies.enumerated() { branches[firstBranch + index] = program(body) }
                return [.union(firstBranch: firstBranch, count: alternatives.count)]
            }
            switch (destination, schema) {
            case (nil, _):
                return skip(schema)
            case (.scalar(let column)?, .enumeration(let symbols)) where target.layout.columns[column].elementType == .string:
                let firstSymbol = self.symbols.count
                self.symbols += symbols.map { Array($0.utf8) }
                return [.readEnumSymbol(column: column, firstSymbol: firstSymbol, symbolCount: symbols.count)]
            case (.scalar(let column)?, _):
                let type = target.layout.columns[column].elementType
                guard let scalar = AvroScalar(schema), scalar.fits(type) else {
                    return [failure(target.path(column: column), expected: type == .string ? "a string or an enum" : "a number or a boolean", found: schema)]
                }
                if let lane = target.floatLane(of: column), let operation = scalar.floatOperation(lane: lane) { return [operation] }
                return [.readTyped(column: column, scalar)]
            case (.array(let firstColumn, let length, let feature)?, .array(let items)):
                let type = target.layout.columns[firstColumn].elementType
                guard let scalar = AvroScalar(items), scalar.fits(type) else {
                    return [failure(target.path(feature: feature), expected: type == .string ? "an array of strings" : "an array of numbers", found: schema)]
                }
                if let lane = target.floatLane(of: firstColumn) { return [.readArray(firstLane: lane, length: length, element: scalar, feature: feature)] }
                return [.readTypedArray(firstColumn: firstColumn, length: length, element: scalar, feature: feature)]
            case (.array(_, let length, let feature)?, _):
                return [failure(target.path(feature: feature), expected: "an array of \(length) numbers", found: schema)]
            case (.record(let fields)?, .record(let record)):
                return recordBody(record, fields: fields)
            case (.record?, _):
                return [failure("a record holding features", expected: "a record", found: schema)]
            }
        }

        private mutating func failure(_ path: String, expected: String, found: AvroSchema) -> AvroOperation {
            failures.append(FeatureDecodingError(.wrongType, path: path, offset: 0, detail: "expected \(expected), the writer's schema has \(found.name)"))
            return .fail(failures.count - 1)
        }

        private mutating func skip(_ schema: AvroSchema) -> [AvroOperation] {
            switch schema {
            case .null: return []
            case .boolean: return [.skipBoolean]
            case .int, .long: return [.skipVarint]
            case .float: return [.skipBytes(4)]
            case .double: return [.skipBytes(8)]
            case .bytes, .string: return [.skipLengthPrefixed]
            case .fixed(let size): return [.skipBytes(size)]
            case .enumeration(let symbols): return [.skipEnum(symbolCount: symbols.count)]
            case .array(let items): return [.skipBlocks(program: program(skip(items)), isMap: false)]
            case .map(let values): return [.skipBlocks(program: program(skip(values)), isMap: true)]
            case .union: return steps(schema, to: nil)
            case .record(let record):
                if let known = recordPrograms[ObjectIdentifier(record)] { return [.call(program: known)] }
                programs.append(0..<0)
                let index = programs.count - 1
                recordPrograms[ObjectIdentifier(record)] = index
                let body = record.fields.flatMap { skip($0.type) }
                programs[index] = append(body)
                return [.call(program: index)]
            }
        }
    }
}
