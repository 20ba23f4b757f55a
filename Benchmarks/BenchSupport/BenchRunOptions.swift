import ArgumentParser

/// The defaults of a benchmark's ``BenchRunOptions``.
public protocol BenchRunDefaults {
    /// `--events` when not given.
    static var events: Int { get }
    /// `--repetitions` when not given.
    static var repetitions: Int { get }
}

/// `--events`, `--repetitions` and `--partitions`: how large a comparison benchmark's runs are
/// and how many of each it makes, with the defaults of the benchmark that takes them.
public struct BenchRunOptions<Defaults: BenchRunDefaults>: ParsableArguments {
    @Option(help: "Input events per run.")
    public var events: Int = Defaults.events

    @Option(help: "Runs of each implementation, alternating which goes first; the figures are their medians.")
    public var repetitions: Int = Defaults.repetitions

    @Option(help: "Partitions of the input topic (the embedded broker keeps about 5 MB per partition).")
    public var partitions = 64

    public init() {}

    public func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1, not \(events)") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, not \(repetitions)") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1, not \(partitions)") }
    }
}
