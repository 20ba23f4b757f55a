import SluiceModel

extension SluiceConfiguration {
    /// `audit.explain:` — the largest feature attributions of each prediction, in its audit record.
    public struct Explanations: Sendable, Hashable {
        /// How many attributions each audit record carries, the largest in magnitude first.
        public var top: Int
        /// The reference profile (`sluice profile`) whose tree covers or feature means the
        /// attributions are measured from; `nil` for `monitoring.profile`.
        public var profile: String?

        public init(top: Int, profile: String? = nil) {
            self.top = top
            self.profile = profile
        }
    }

    /// Reads the `audit:` section; `nil` when it or its `explain` is absent or null (explanations off).
    static func auditSection(_ node: ConfigurationNode?) throws(ConfigurationError) -> Explanations? {
        guard let node, !node.isNull else { return nil }
        guard let explain = try node.mapping(allowed: ["explain"])["explain"], !explain.isNull else { return nil }
        let members = try explain.mapping(allowed: ["top", "profile"])
        guard let top = members["top"] else { throw explain.error("needs 'top', how many attributions each audit record carries") }
        var explanations = Explanations(top: try top.int(in: 1...64))
        if let value = members["profile"], !value.isNull { explanations.profile = try value.nonEmptyString() }
        return explanations
    }

    /// The profile explanations are measured from (`audit.explain.profile`, else `monitoring.profile`),
    /// checked to profile this configuration's features; `nil` when explanations are off or no profile is named.
    ///
    /// - Throws: ``ProfileError`` when it cannot be read or profiles other features.
    public func explanationProfile() throws(ProfileError) -> ReferenceProfile? {
        guard let explanations, let path = explanations.profile ?? monitoring?.profile else { return nil }
        let profile = try ReferenceProfile(contentsOf: path)
        let names = ProfileBuilder.featureNames(featureSpec)
        guard profile.features.map(\.name) == names else {
            throw ProfileError("audit.explain's profile \(path) profiles the features \(profile.features.map(\.name)), not this configuration's \(names)")
        }
        return profile
    }

    /// What attributes `model`'s predictions to its features for the audit records; `nil` when
    /// `audit.explain` is off.
    ///
    /// - Throws: ``ProfileError`` for an unreadable profile, ``ExplanationError`` when `model`
    ///   cannot be explained so (see ``FeatureAttributor``).
    public func featureAttributor(for model: SluiceModel.Model) throws -> FeatureAttributor? {
        guard explanations != nil else { return nil }
        return try FeatureAttributor(model: model, profile: explanationProfile(), featureNames: ProfileBuilder.featureNames(featureSpec))
    }
}

extension SluiceConfiguration {
    /// What a shadow model (`model.shadow`) is checked against: this configuration without
    /// `audit.explain` and `monitoring`, which apply to the serving model's records only (and whose
    /// profile names the serving model's file).
    public var shadowChecks: SluiceConfiguration {
        var checks = self
        checks.explanations = nil
        checks.monitoring = nil
        return checks
    }
}
