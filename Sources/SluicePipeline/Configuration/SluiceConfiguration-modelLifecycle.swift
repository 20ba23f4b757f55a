/// The fields of `model:` that concern a model's life while Sluice runs: the validation gate and
/// watching the file for a replacement.
extension SluiceConfiguration.Model {
    /// `model.validation` — a golden file of inputs and expected outputs (``ModelValidation``) that
    /// a model must reproduce before it serves, at start and on every reload.
    public struct Validation: Sendable, Hashable {
        /// The golden file, relative to the configuration file's directory.
        public var golden: String
        /// How far an output may be from the expected one (``ModelValidation/tolerance``).
        public var tolerance = ModelValidation.defaultTolerance

        public init(golden: String) {
            self.golden = golden
        }
    }

    /// `model.shadow` — a model scored on the same batches as the serving one, whose predictions go
    /// to their own topic and are never acted on.
    public struct Shadow: Sendable, Hashable {
        /// The ONNX file, relative to the configuration file's directory.
        public var path: String
        /// Its name in shadow records; `nil` for the file's name without its extension.
        public var name: String?
        /// Its version in shadow records; `nil` for the version the file declares, if any.
        public var version: String?
        /// Where its predictions go; `nil` for `<outputs.predictions>.shadow`.
        public var topic: String?

        public init(path: String) {
            self.path = path
        }
    }

    /// Reads `validation`, `watch_interval_ms`, `shadow` and `canary` from the `model:` section's members.
    mutating func readLifecycle(_ members: [String: ConfigurationNode]) throws(ConfigurationError) {
        if let node = members["shadow"], !node.isNull {
            let fields = try node.mapping(allowed: ["path", "name", "version", "topic"])
            guard let path = fields["path"] else { throw node.error("needs 'path', the shadow model's file") }
            var shadow = Shadow(path: try path.nonEmptyString())
            if let value = fields["name"], !value.isNull { shadow.name = try value.nonEmptyString() }
            if let value = fields["version"], !value.isNull { shadow.version = try value.nonEmptyString() }
            if let value = fields["topic"], !value.isNull { shadow.topic = try value.nonEmptyString() }
            self.shadow = shadow
        }
        if let node = members["validation"], !node.isNull {
            let fields = try node.mapping(allowed: ["golden", "tolerance"])
            guard let golden = fields["golden"] else { throw node.error("needs 'golden', the golden file") }
            var validation = Validation(golden: try golden.nonEmptyString())
            if let value = fields["tolerance"] { validation.tolerance = try value.double(in: 0...1) }
            self.validation = validation
        }
        if let value = members["watch_interval_ms"] { watchIntervalMilliseconds = try value.int(in: 0...3_600_000) }
        try readCanary(members)
    }

    /// The lifecycle fields as the effective configuration shows them, after `version`.
    func lifecycleDescription(quoted: (String) -> String) -> String {
        let validation = validation.map { "{golden: \(quoted($0.golden)), tolerance: \($0.tolerance)}" } ?? "null"
        let shadow = shadow.map { shadow in
            "{path: \(quoted(shadow.path)), name: \(shadow.name.map(quoted) ?? "null"), version: \(shadow.version.map(quoted) ?? "null"), topic: \(shadow.topic.map(quoted) ?? "null")}"
        } ?? "null"
        return ", validation: \(validation), watch_interval_ms: \(watchIntervalMilliseconds), shadow: \(shadow)" + canaryDescription(quoted: quoted)
    }

    /// ``validation``'s golden file read, or `nil` when none is configured.
    ///
    /// - Throws: ``GoldenFileError`` when the file cannot be read or holds no cases.
    public func loadValidation() throws(GoldenFileError) -> ModelValidation? {
        guard let validation else { return nil }
        return try ModelValidation(goldenFile: validation.golden, tolerance: validation.tolerance)
    }
}

extension SluiceConfiguration {
    /// The topic of the shadow model's predictions, when `model.shadow` is configured.
    public var shadowTopic: String? {
        model.shadow.map { $0.topic ?? outputs.predictions + ".shadow" }
    }

    /// The records each scored event produces, all of which the offset ledger awaits: a
    /// prediction (or the dead letter in its place) and an audit record, and a shadow record
    /// when a shadow model is configured.
    var outputsPerScoredEvent: Int { model.shadow == nil ? 2 : 3 }
}
