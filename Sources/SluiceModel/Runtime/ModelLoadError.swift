/// Why a model cannot be loaded. Every problem Sluice found is listed, not only the first, so one
/// attempt tells the user everything to fix.
public struct ModelLoadError: Error, Sendable, CustomStringConvertible {
    /// The file, or the name given for in-memory bytes.
    public var source: String
    public var problems: [ModelProblem]

    public init(source: String, problems: [ModelProblem]) {
        self.source = source
        self.problems = problems
    }

    init(source: String, _ reason: String) {
        self.init(source: source, problems: [ModelProblem(reason)])
    }

    public var description: String {
        if problems.count == 1 {
            return "cannot load model \(source): \(problems[0])"
        }
        return "cannot load model \(source): \(problems.count) problems:\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// One reason a model cannot be loaded, naming the node it concerns when there is one.
public struct ModelProblem: Sendable, CustomStringConvertible {
    public var node: NodeReference?
    public var reason: String

    public init(_ reason: String, node: NodeReference? = nil) {
        self.node = node
        self.reason = reason
    }

    public var description: String {
        guard let node else { return reason }
        return "\(node): \(reason)"
    }
}

/// Identifies a node of a model in messages.
public struct NodeReference: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var opType: String
    public var domain: String
    /// The opset version the model imports for the node's domain, or `nil` when it imports none.
    public var opset: Int?

    public var description: String {
        "node '\(name)' (\(opType), domain \(domain), opset \(opset.map(String.init) ?? "not imported"))"
    }
}
