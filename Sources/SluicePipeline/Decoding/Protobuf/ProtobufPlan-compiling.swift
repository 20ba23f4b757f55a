extension ProtobufPlan {
    /// Resolves message types against the features by field name, one table per message type and
    /// destination.
    struct Compiler {
        let descriptors: ProtobufDescriptors
        let target: FeatureRowTarget
        var tables: [MessageTable] = []
        var arrays: [(length: Int, feature: Int)] = []
        /// The largest field number given a table slot: larger ones are skipped at no cost.
        static let largestTabledNumber = 4_096

        init(descriptors: ProtobufDescriptors, target: FeatureRowTarget) {
            self.descriptors = descriptors
            self.target = target
        }

        /// The table of message `name` whose fields go to `fields`; returns its index.
        mutating func table(_ name: String, fields: FeatureRowTarget.Fields) -> Int {
            let index = tables.count
            tables.append(MessageTable(actions: [], zeroLanes: [], zeroColumns: []))
            let messageFields = descriptors.messages[name] ?? []
            let largest = min(messageFields.map(\.number).max() ?? 0, Self.largestTabledNumber)
            var table = MessageTable(actions: Array(repeating: .skip, count: largest + 1), zeroLanes: [], zeroColumns: [])
            for field in messageFields where field.number <= largest {
                guard let destination = fields.byName[field.name] else { continue }
                table.actions[field.number] = action(field, destination)
                guard !field.hasPresence else { continue }
                switch table.actions[field.number] {
                case .scalar(let lane, _): table.zeroLanes.append(lane)
                case .typedScalar(let column, _), .string(let column): table.zeroColumns.append(column)
                default: break
                }
            }
            tables[index] = table
            return index
        }

        private mutating func action(_ field: ProtobufDescriptors.Field, _ destination: FeatureRowTarget.Destination) -> Action {
            let number = ProtobufNumber(field.type)
            switch destination {
            case .scalar(let column):
                if target.layout.columns[column].elementType == .string {
                    guard field.type == .string, !field.isRepeated else { return failure(target.path(column: column), "a string", field) }
                    return .string(column: column)
                }
                guard let number, !field.isRepeated else { return failure(target.path(column: column), "a number or a boolean", field) }
                return target.floatLane(of: column).map { .scalar(lane: $0, number) } ?? .typedScalar(column: column, number)
            case .array(let firstColumn, let length, let feature):
                guard let number, field.isRepeated, target.layout.columns[firstColumn].elementType != .string else {
                    return failure(target.path(feature: feature), "a repeated number field", field)
                }
                arrays.append((length, feature))
                if let lane = target.floatLane(of: firstColumn) {
                    return .array(firstLane: lane, length: length, feature: feature, counter: arrays.count - 1, number)
                }
                return .typedArray(firstColumn: firstColumn, length: length, feature: feature, counter: arrays.count - 1, number)
            case .record(let fields):
                guard let messageType = field.messageType, !field.isRepeated, descriptors.messages[messageType] != nil else {
                    return failure("a message holding features", "a message", field)
                }
                return .message(table(messageType, fields: fields))
            }
        }

        private func failure(_ path: String, _ expected: String, _ field: ProtobufDescriptors.Field) -> Action {
            let found = (field.isRepeated ? "repeated " : "") + (field.messageType ?? "\(field.type)")
            return .fail(FeatureDecodingError(.wrongType, path: path, offset: 0, detail: "expected \(expected), the message type has \(found)"))
        }
    }
}
