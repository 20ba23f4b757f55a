import SluiceKernels

/// A classifier's class labels: int64 or strings, exactly one of the two attributes.
enum ClassLabels: Sendable {
    case int64s([Int64])
    case strings([String])

    init(_ node: OperatorNode, int64s intName: String, strings stringName: String) throws {
        let ints = try node.ints(intName, default: [])
        let strings = try node.strings(stringName, default: [])
        switch (ints.isEmpty, strings.isEmpty) {
        case (false, true): self = .int64s(ints)
        case (true, false): self = .strings(strings)
        case (false, false): throw OperatorError("attributes '\(intName)' and '\(stringName)' are exclusive")
        case (true, true): throw OperatorError("one of '\(intName)' or '\(stringName)' is required")
        }
    }

    var count: Int {
        switch self {
        case .int64s(let labels): labels.count
        case .strings(let labels): labels.count
        }
    }

    var elementType: ElementType {
        switch self {
        case .int64s: .int64
        case .strings: .string
        }
    }

    /// Writes one label per decision into `tensor`, as a `[N]` tensor of the labels' type.
    func write(_ decisions: [ClassifierDecision], into tensor: inout Tensor) {
        switch self {
        case .int64s(let labels):
            tensor.withMutableInt64s(shape: [decisions.count]) { values in
                for (row, decision) in decisions.enumerated() {
                    values[row] = switch decision {
                    case .classIndex(let index): labels[index]
                    case .positive: 1
                    case .negative: 0
                    }
                }
            }
        case .strings(let labels):
            tensor.withMutableStrings(shape: [decisions.count]) { values in
                for (row, decision) in decisions.enumerated() {
                    values[row] = switch decision {
                    case .classIndex(let index): labels[index]
                    case .positive: labels[1]
                    case .negative: labels[0]
                    }
                }
            }
        }
    }
}
