/// The operators Sluice can compile, looked up by domain and operator type.
public struct OperatorRegistry: Sendable {
    private var definitions: [Key: [OperatorDefinition]] = [:]

    private struct Key: Hashable {
        var domain: String
        var opType: String
    }

    public init(_ definitions: [OperatorDefinition]) {
        for definition in definitions {
            self.definitions[Key(domain: definition.domain, opType: definition.opType), default: []].append(definition)
        }
    }

    /// Every operator Sluice supports.
    public static let standard = OperatorRegistry(denseOperators + machineLearningOperators)

    /// The definition that implements `opType` of `domain` at `opset`, or `nil` when Sluice has none.
    public func definition(domain: String, opType: String, opset: Int) -> OperatorDefinition? {
        definitions[Key(domain: domain, opType: opType)]?.first { $0.opsets.contains(opset) }
    }

    /// The opset versions Sluice implements for `opType` of `domain`, for error messages.
    public func supportedOpsets(domain: String, opType: String) -> [ClosedRange<Int>] {
        definitions[Key(domain: domain, opType: opType)]?.map(\.opsets) ?? []
    }

    /// Every supported (domain, operator type) pair, sorted, for `sluice model inspect` and documentation.
    public var supportedOperators: [(domain: String, opType: String)] {
        definitions.keys.map { ($0.domain, $0.opType) }.sorted { ($0.domain, $0.opType) < ($1.domain, $1.opType) }
    }
}
