/// An invalid configuration: the field (as a dotted path, e.g. `batching.max_size`), what is
/// wrong, and where it came from.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the field, e.g. `features[2].length`; empty for the whole file.
    public var field: String
    /// What is wrong, e.g. `must be between 1 and 65536, got 0`.
    public var problem: String
    /// Where the value came from: `line 12` of the file, a command-line flag, or `nil`.
    public var origin: String?

    public init(field: String, problem: String, origin: String? = nil) {
        self.field = field
        self.problem = problem
        self.origin = origin
    }

    public var description: String {
        let subject = field.isEmpty ? problem : "\(field): \(problem)"
        return origin.map { "\(subject) (\($0))" } ?? subject
    }
}
