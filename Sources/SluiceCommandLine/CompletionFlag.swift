import Synchronization

/// Set once, read from anywhere: a command's processor task says it has returned.
public final class CompletionFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func set() { value.store(true, ordering: .releasing) }
    public var isSet: Bool { value.load(ordering: .acquiring) }
}
