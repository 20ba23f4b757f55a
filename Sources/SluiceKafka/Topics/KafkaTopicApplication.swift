/// How ``KafkaAdmin/applyTopics(_:mode:timeout:)`` may change the cluster.
public struct KafkaTopicApplyMode: Hashable, Sendable {
    /// Whether existing topics that differ are altered where Kafka allows it: partitions added
    /// and configs set. Without it they are only reported.
    public var alter: Bool
    /// Whether nothing is changed at all: what would be created or altered is reported instead.
    public var dryRun: Bool

    public init(alter: Bool = false, dryRun: Bool = false) {
        self.alter = alter
        self.dryRun = dryRun
    }
}

/// What ``KafkaAdmin/applyTopics(_:mode:timeout:)`` found and did for one defined topic.
public struct KafkaTopicApplication: Hashable, Sendable {
    /// What happened to the topic as a whole.
    public enum Action: Hashable, Sendable {
        /// It did not exist and was created.
        case created
        /// It does not exist and would be created (a dry run).
        case wouldCreate
        /// It existed already.
        case existed
    }

    public var name: String
    public var action: Action
    /// Every way the existing topic differs from its definition, each with what was done about
    /// it; empty when it matches or was just created.
    public var differences: [KafkaTopicDifference]
    /// Why the topic's configs could not be compared, when the cluster would not describe them
    /// (librdkafka's embedded mock cluster does not serve DescribeConfigs); `nil` when they were
    /// compared or none are defined.
    public var configsNotCompared: String?

    public init(name: String, action: Action, differences: [KafkaTopicDifference] = [], configsNotCompared: String? = nil) {
        self.name = name
        self.action = action
        self.differences = differences
        self.configsNotCompared = configsNotCompared
    }

    /// Whether the topic is now as defined: it exists, and every difference was altered. After a
    /// dry run, whether it already was.
    public var isInSync: Bool {
        action != .wouldCreate && differences.allSatisfy { $0.resolution == .altered }
    }
}
