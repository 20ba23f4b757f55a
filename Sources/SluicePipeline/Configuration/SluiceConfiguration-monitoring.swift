import SluiceModel

extension SluiceConfiguration {
    /// `monitoring:` — drift and data-quality monitoring against a reference profile (`sluice profile`).
    public struct Monitoring: Sendable, Hashable {
        /// The reference profile file, relative to the configuration file's directory.
        public var profile: String
        /// Events in the sliding window the statistics describe.
        public var window = 1_000
        /// The population stability index above which a column counts as drifted.
        public var psiThreshold = 0.2
        /// Where a drift record goes after every `window` events; `nil` for none.
        public var topic: String? = "drift"

        public init(profile: String) { self.profile = profile }
    }

    /// Reads the `monitoring:` section; `nil` when it is absent or null (monitoring off).
    static func monitoringSection(_ node: ConfigurationNode?) throws(ConfigurationError) -> Monitoring? {
        guard let node, !node.isNull else { return nil }
        let members = try node.mapping(allowed: ["profile", "window", "psi_threshold", "topic"])
        guard let profile = members["profile"] else { throw node.error("needs 'profile', a file written by `sluice profile`") }
        var monitoring = Monitoring(profile: try profile.nonEmptyString())
        if let value = members["window"] { monitoring.window = try value.int(in: 10...1_000_000) }
        if let value = members["psi_threshold"] { monitoring.psiThreshold = try value.double(in: 0.001...10) }
        if let value = members["topic"] { monitoring.topic = try value.isNull ? nil : value.nonEmptyString() }
        if let topic = monitoring.topic { try checkTopic(topic, field: "monitoring.topic") }
        return monitoring
    }
}

extension SluiceConfiguration {
    /// The reference profile `monitoring.profile` names, once checked to fit: made with the same
    /// model file (by SHA-256) and the same feature columns. `nil` when monitoring is off.
    ///
    /// - Throws: ``ProfileError`` saying what does not fit.
    public func referenceProfile(for model: SluiceModel.Model) throws(ProfileError) -> ReferenceProfile? {
        guard let monitoring else { return nil }
        let profile = try ReferenceProfile(contentsOf: monitoring.profile)
        guard profile.model.sha256 == model.identity.sha256 else {
            throw ProfileError(
                "monitoring.profile \(monitoring.profile) was made with another model (SHA-256 \(profile.model.sha256.prefix(12))…, "
                    + "this one is \(model.identity.sha256.prefix(12))…); run `sluice profile` again with this model"
            )
        }
        let names = ProfileBuilder.featureNames(featureSpec)
        guard profile.features.map(\.name) == names else {
            throw ProfileError(
                "monitoring.profile \(monitoring.profile) profiles the features \(profile.features.map(\.name)), not this configuration's \(names)"
            )
        }
        return profile
    }
}
