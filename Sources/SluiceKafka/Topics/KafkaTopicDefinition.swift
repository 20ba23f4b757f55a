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
    ///
    /// Differences Kafka cannot change in place are marked ``KafkaTopicResolution/unalterable(_:)``
    /// with what would change them; the others are ``KafkaTopicResolution/reported``.
    public func differences(from existing: KafkaTopicDescription) -> [KafkaTopicDifference] {
        var differences: [KafkaTopicDifference] = []
        if existing.partitions != partitions {
            differences.append(
                .init(
                    field: "partitions", defined: String(partitions), found: String(existing.partitions),
                    resolution: existing.partitions < partitions
                        ? .reported
                        : .unalterable(
                            "Kafka cannot remove partitions; define \(existing.partitions) or more, or recreate the topic (losing its records)"
                        )
                )
            )
        }
        if existing.replicationFactor != replicationFactor {
            differences.append(
                .init(
                    field: "replication_factor", defined: String(replicationFactor), found: String(existing.replicationFactor),
                    resolution: .unalterable(
                        "the replication factor changes only by reassigning partitions (kafka-reassign-partitions.sh), which sluice does not do"
                    )
                )
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

/// One setting in which an existing topic differs from its definition, and what was done about it.
public struct KafkaTopicDifference: Hashable, Sendable, CustomStringConvertible {
    /// The definition's field: `partitions`, `replication_factor` or `configs.<key>`.
    public var field: String
    public var defined: String
    public var found: String
    /// Whether the difference was changed, left, or cannot be changed in place.
    public var resolution: KafkaTopicResolution

    public init(field: String, defined: String, found: String, resolution: KafkaTopicResolution = .reported) {
        self.field = field
        self.defined = defined
        self.found = found
        self.resolution = resolution
    }

    public var description: String {
        let difference = "\(field): defined \(defined), found \(found)"
        switch resolution {
        case .reported: return difference
        case .altered: return "\(difference); altered"
        case .wouldAlter: return "\(difference); would be altered"
        case .unalterable(let reason): return "\(difference); cannot be altered: \(reason)"
        }
    }
}

/// What ``KafkaAdmin/applyTopics(_:mode:timeout:)`` did about one difference.
public enum KafkaTopicResolution: Hashable, Sendable {
    /// Reported and left as it is (altering was not asked for).
    case reported
    /// Changed to the definition.
    case altered
    /// Would be changed to the definition (a dry run).
    case wouldAlter
    /// Kafka cannot change this in place; the reason says what would.
    case unalterable(String)
}
