/// How a topic should be: the one description that `sluice broker` creates on the embedded cluster
/// and `sluice topics apply` creates on, or checks against, a real one.
public struct KafkaTopicDefinition: Hashable, Sendable {
    /// The topic's name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// Copies of each partition.
    public var replicationFactor: Int
    /// Topic-level settings (`retention.ms`, `cleanup.policy`, …) as Kafka spells them.
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }

    /// Every way `existing` differs from this definition, empty when it matches. Configs are
    /// compared only when `existing` carries them, and only for the keys defined here.
    public func differences(from existing: KafkaTopicDescription) -> [KafkaTopicDifference] {
        var differences: [KafkaTopicDifference] = []
        if existing.partitions != partitions {
            differences.append(.init(field: "partitions", defined: String(partitions), found: String(existing.partitions)))
        }
        if existing.replicationFactor != replicationFactor {
            differences.append(
                .init(field: "replication_factor", defined: String(replicationFactor), found: String(existing.replicationFactor))
            )
        }
        if let found = existing.configs {
            for (key, value) in configs.sorted(by: { $0.key < $1.key }) where found[key] != value {
                differences.append(.init(field: "configs.\(key)", defined: value, found: found[key] ?? "(unset)"))
            }
        }
        return differences
    }
}

/// A topic as it exists in a cluster.
public struct KafkaTopicDescription: Hashable, Sendable {
    public var name: String
    public var partitions: Int
    /// The replica count of the topic's first partition.
    public var replicationFactor: Int
    /// The topic's settings, or `nil` when they were not read (the embedded mock cluster does not
    /// serve DescribeConfigs).
    public var configs: [String: String]?

    public init(name: String, partitions: Int, replicationFactor: Int, configs: [String: String]? = nil) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// One setting in which an existing topic differs from its definition.
public struct KafkaTopicDifference: Hashable, Sendable, CustomStringConvertible {
    /// The definition's field: `partitions`, `replication_factor` or `configs.<key>`.
    public var field: String
    public var defined: String
    public var found: String

    public init(field: String, defined: String, found: String) {
        self.field = field
        self.defined = defined
        self.found = found
    }

    public var description: String { "\(field): defined \(defined), found \(found)" }
}

/// What ``KafkaAdmin/ensureTopics(_:compareConfigs:timeout:)`` found or did for one definition.
public enum KafkaTopicCheck: Hashable, Sendable {
    /// The topic did not exist and was created.
    case created(String)
    /// The topic exists as defined.
    case matches(String)
    /// The topic exists with different settings; nothing was changed.
    case differs(String, [KafkaTopicDifference])
}
