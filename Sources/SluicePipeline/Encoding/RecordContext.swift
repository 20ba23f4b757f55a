import SluiceModel

/// What every output record of one processor says about where it comes from: fixed for the
/// processor's life, so the encoders write it as prepared JSON fragments.
public struct RecordContext: Sendable, Hashable {
    /// The model that scores the events.
    public struct Model: Sendable, Hashable {
        public var name: String
        public var version: String
        /// SHA-256 of the model file, 64 lower-case hex digits.
        public var sha256: String

        public init(name: String, version: String, sha256: String) {
            self.name = name
            self.version = version
            self.sha256 = sha256
        }
    }

    /// The configured input topics; rows name theirs by index.
    public var inputTopics: [String]
    /// The topic predictions are written to.
    public var predictionTopic: String
    /// The topic audit records are written to.
    public var auditTopic: String
    public var model: Model
    /// This processor instance's name (e.g. host and process id), for lineage.
    public var processorInstance: String
    /// Sluice's version.
    public var processorVersion: String

    public init(
        inputTopics: [String],
        predictionTopic: String,
        auditTopic: String,
        model: Model,
        processorInstance: String,
        processorVersion: String
    ) {
        self.inputTopics = inputTopics
        self.predictionTopic = predictionTopic
        self.auditTopic = auditTopic
        self.model = model
        self.processorInstance = processorInstance
        self.processorVersion = processorVersion
    }
}

extension RecordContext.Model {
    /// The served model as the records name it: the configured name and version, else the
    /// model file's own version, and the file's SHA-256.
    public init(_ configuration: SluiceConfiguration, _ model: SluiceModel.Model) {
        self.init(
            name: configuration.model.effectiveName,
            version: configuration.model.version ?? model.identity.version ?? "unversioned",
            sha256: model.identity.sha256
        )
    }
}
