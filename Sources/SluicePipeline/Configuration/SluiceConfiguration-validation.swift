extension SluiceConfiguration {
    /// librdkafka properties Sluice sets itself: configuring them by hand would break its
    /// guarantees, so they are refused with the field to use instead.
    static let ownedProperties: [String: String] = [
        "bootstrap.servers": "set kafka.bootstrap instead",
        "metadata.broker.list": "set kafka.bootstrap instead",
        "group.id": "set kafka.group instead",
        "auto.commit.interval.ms": "set kafka.commit_interval_ms instead",
        "enable.auto.commit": "Sluice commits offsets itself, once outputs are acknowledged",
        "enable.auto.offset.store": "Sluice stores offsets itself, once outputs are acknowledged",
        "enable.idempotence": "Sluice's producer is always idempotent",
        "transactional.id": "set delivery: exactly_once instead",
    ]

    /// Checks the fields' values and how they fit together; the error names the first field at
    /// fault.
    public func validate() throws(ConfigurationError) {
        let brokers = kafka.bootstrap.split(separator: ",")
        for broker in brokers {
            try Self.checkHostPort(String(broker), field: "kafka.bootstrap")
        }
        for key in kafka.properties.keys.sorted() {
            if let reason = Self.ownedProperties[key] {
                throw ConfigurationError(field: "kafka.properties.\(key)", problem: "not allowed: \(reason)")
            }
        }
        guard !input.topics.isEmpty else { throw ConfigurationError(field: "input.topics", problem: "needs at least one topic") }
        for (index, topic) in input.topics.enumerated() {
            try Self.checkTopic(topic, field: "input.topics[\(index)]")
            if input.topics[..<index].contains(topic) {
                throw ConfigurationError(field: "input.topics[\(index)]", problem: "'\(topic)' is listed twice")
            }
        }
        do {
            _ = try FeatureDecoder(inputs: features.isEmpty ? inputFeatures : [InputSpec(name: "", features: featureSpec)])
        } catch {
            throw ConfigurationError(field: featureField(error), problem: error.detail)
        }
        let outputTopics = [("outputs.predictions", outputs.predictions), ("outputs.audit", outputs.audit), ("outputs.dead_letter", deadLetterTopic)]
        for (index, (field, topic)) in outputTopics.enumerated() {
            try Self.checkTopic(topic, field: field)
            if input.topics.contains(topic) {
                throw ConfigurationError(field: field, problem: "'\(topic)' is also an input topic: Sluice would consume its own output")
            }
            if let earlier = outputTopics[..<index].first(where: { $0.1 == topic }) {
                throw ConfigurationError(field: field, problem: "'\(topic)' is also \(earlier.0)")
            }
        }
        if backpressure.resumeAt >= backpressure.maxInFlight {
            throw ConfigurationError(
                field: "backpressure.resume_at",
                problem: "must be below backpressure.max_in_flight (\(backpressure.maxInFlight)), got \(backpressure.resumeAt)"
            )
        }
        if backpressure.maxInFlight < batching.maxSize {
            throw ConfigurationError(
                field: "backpressure.max_in_flight",
                problem: "must be at least batching.max_size (\(batching.maxSize)), got \(backpressure.maxInFlight)"
            )
        }
        try model.validateCanary()
        // Port 0 asks the system for a free port (tests, several instances on one host).
        try Self.checkHostPort(http.listen, field: "http.listen", ports: 0...65_535)
    }

    /// Kafka's rule for topic names.
    static func checkTopic(_ topic: String, field: String) throws(ConfigurationError) {
        guard (1...249).contains(topic.utf8.count), topic != ".", topic != "..",
            topic.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) })
        else {
            throw ConfigurationError(field: field, problem: "'\(topic)' is not a valid topic name (1 to 249 of a-z, A-Z, 0-9, '.', '_', '-')")
        }
    }

    static func checkHostPort(_ address: String, field: String, ports: ClosedRange<Int> = 1...65_535) throws(ConfigurationError) {
        let trimmed = address.trimmingSpaces
        guard let colon = trimmed.lastIndex(of: ":"), colon != trimmed.startIndex,
            let port = Int(trimmed[trimmed.index(after: colon)...]), ports.contains(port)
        else {
            throw ConfigurationError(field: field, problem: "expected host:port, got '\(address)'")
        }
    }
}
