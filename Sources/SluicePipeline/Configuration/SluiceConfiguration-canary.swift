/// `model.canary`: a second model that serves a stable share of the traffic.
extension SluiceConfiguration.Model {
    /// `model.canary` — a model that scores a share of the events in place of the serving one, its
    /// predictions acted on like the serving model's. An event's key decides which model scores it
    /// (``CanaryRouting``), so one key always meets the same model.
    public struct Canary: Sendable, Hashable {
        /// The ONNX file, relative to the configuration file's directory.
        public var path: String
        /// Its name in records; `nil` for the file's name without its extension.
        public var name: String?
        /// Its version in records; `nil` for the version the file declares, if any.
        public var version: String?
        /// The share of the events it scores, in percent (0–100, to a hundredth).
        public var percent: Double

        public init(path: String, percent: Double) {
            self.path = path
            self.percent = percent
        }
    }

    /// Reads `canary` from the `model:` section's members.
    mutating func readCanary(_ members: [String: ConfigurationNode]) throws(ConfigurationError) {
        guard let node = members["canary"], !node.isNull else { return }
        let fields = try node.mapping(allowed: ["path", "name", "version", "percent"])
        guard let path = fields["path"] else { throw node.error("needs 'path', the canary model's file") }
        guard let percent = fields["percent"] else { throw node.error("needs 'percent', the share of the events the canary scores (0-100)") }
        var canary = Canary(path: try path.nonEmptyString(), percent: try percent.double(in: 0...100))
        if let value = fields["name"], !value.isNull { canary.name = try value.nonEmptyString() }
        if let value = fields["version"], !value.isNull { canary.version = try value.nonEmptyString() }
        self.canary = canary
    }

    /// `canary` as the effective configuration shows it.
    func canaryDescription(quoted: (String) -> String) -> String {
        let canary = canary.map { canary in
            "{path: \(quoted(canary.path)), name: \(canary.name.map(quoted) ?? "null"), version: \(canary.version.map(quoted) ?? "null"), percent: \(canary.percent)}"
        } ?? "null"
        return ", canary: \(canary)"
    }
}

extension SluiceConfiguration.Model {
    /// Checks that `canary` names another model than the serving one.
    func validateCanary() throws(ConfigurationError) {
        guard let canary, canary.path == path else { return }
        throw ConfigurationError(field: "model.canary.path", problem: "'\(canary.path)' is model.path: a canary is another model file")
    }
}

extension SluiceConfiguration {
    /// What a canary model (`model.canary`) is checked against: this configuration without
    /// `monitoring`, whose profile names the served model's file and which watches the served
    /// model's rows only. `audit.explain` stays: the canary's audit records are explained too.
    public var canaryChecks: SluiceConfiguration {
        var checks = self
        checks.monitoring = nil
        return checks
    }
}
