extension KafkaAdmin {
    /// Makes the cluster hold the defined topics, as far as `mode` allows: creates the missing
    /// ones, compares the existing ones with their definitions (partitions, replication factor,
    /// and the configs they define) and, with ``KafkaTopicApplyMode/alter``, adds partitions and
    /// sets configs where they differ. Differences Kafka cannot change in place (fewer
    /// partitions, another replication factor) are reported as such and never touched.
    ///
    /// Running it again changes nothing more: it is idempotent.
    ///
    /// - Returns: one ``KafkaTopicApplication`` per definition, in their order.
    /// - Throws: ``KafkaError`` when the cluster cannot be reached or refuses to create or alter
    ///   a topic; what was done before the failure stays done.
    public func applyTopics(
        _ definitions: [KafkaTopicDefinition],
        mode: KafkaTopicApplyMode = KafkaTopicApplyMode(),
        timeout: Duration
    ) throws(KafkaError) -> [KafkaTopicApplication] {
        let existing = try describeTopics(definitions.map(\.name), timeout: timeout)
        var byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = definitions.filter { byName[$0.name] == nil }
        let createdElsewhere: Set<String>
        do throws(KafkaError) {
            createdElsewhere = mode.dryRun ? [] : try createTopics(missing, timeout: timeout)
        } catch {
            var named = error
            named.message = "cannot create \(missing.map { "\"\($0.name)\"" }.joined(separator: ", ")): \(error.message)"
            throw named
        }
        if !createdElsewhere.isEmpty {
            // Another client created them between our look and our create: compare what it made.
            for description in try describeTopics(Array(createdElsewhere), timeout: timeout) { byName[description.name] = description }
        }
        let configs = describeConfigs(of: definitions.filter { !$0.configs.isEmpty && byName[$0.name] != nil }, timeout: timeout)
        var applications: [KafkaTopicApplication] = []
        for definition in definitions {
            guard var description = byName[definition.name] else {
                applications.append(KafkaTopicApplication(name: definition.name, action: mode.dryRun ? .wouldCreate : .created))
                continue
            }
            var configsNotCompared: String?
            if !definition.configs.isEmpty {
                switch configs {
                case .success(let byTopic): description.configs = byTopic[definition.name] ?? [:]
                case .failure(let error): configsNotCompared = error.message
                }
            }
            applications.append(
                try reconcile(definition, with: description, configsNotCompared: configsNotCompared, mode: mode, timeout: timeout)
            )
        }
        return applications
    }

    /// The configs of the defined topics, in one request: a cluster that cannot describe them
    /// (librdkafka's mock cluster waits for a controller it never names) costs one timeout.
    private func describeConfigs(of definitions: [KafkaTopicDefinition], timeout: Duration) -> Result<[String: [String: String]], KafkaError> {
        do throws(KafkaError) {
            return .success(try topicConfigEntries(of: definitions.map(\.name), timeout: timeout).mapValues { $0.mapValues(\.value) })
        } catch {
            return .failure(error)
        }
    }

    private func reconcile(
        _ definition: KafkaTopicDefinition,
        with description: KafkaTopicDescription,
        configsNotCompared: String?,
        mode: KafkaTopicApplyMode,
        timeout: Duration
    ) throws(KafkaError) -> KafkaTopicApplication {
        var differences = definition.differences(from: description)
        if mode.alter {
            let alterable = differences.indices.filter { differences[$0].resolution == .reported }
            if !mode.dryRun {
                if differences.contains(where: { $0.field == "partitions" && $0.resolution == .reported }) {
                    try createPartitions(of: definition.name, count: definition.partitions, timeout: timeout)
                }
                let configChanges = Dictionary(
                    uniqueKeysWithValues: differences.filter { $0.field.hasPrefix("configs.") }
                        .map { (String($0.field.dropFirst("configs.".count)), $0.defined) }
                )
                if !configChanges.isEmpty {
                    try alterTopicConfigs(of: definition.name, setting: configChanges, timeout: timeout)
                }
            }
            for index in alterable { differences[index].resolution = mode.dryRun ? .wouldAlter : .altered }
        }
        return KafkaTopicApplication(
            name: definition.name, action: .existed, differences: differences, configsNotCompared: configsNotCompared
        )
    }
}
