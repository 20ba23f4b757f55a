import SluiceModel

/// A model that scores a share of the events in place of the serving one (`model.canary`): its
/// predictions go to `outputs.predictions` and are acted on like the serving model's, and every
/// record it produces names it. ``CanaryRouting`` picks its events by key.
///
/// It passes the same checks as a reload candidate (``ModelCandidate``), golden file included,
/// since its answers are acted on; it is loaded at start and stays until the next start, while
/// the serving model may be reloaded.
struct CanaryModel: Sendable {
    var model: Model
    /// Writes the canary's predictions and audit records, which name it.
    var encoder: RecordEncoder
    var routing: CanaryRouting

    /// The canary of `configuration`'s `model.canary`, or `nil` when none is configured; its
    /// records carry `context` with the canary as the model.
    ///
    /// - Throws: ``CanaryModelMissing`` when one is configured but `model` is `nil`, or
    ///   ``ProcessorError`` when the features do not fit it.
    init?(_ model: Model?, configuration: SluiceConfiguration, context: RecordContext) throws {
        guard let canary = configuration.model.canary else { return nil }
        guard let model else { throw CanaryModelMissing(path: canary.path) }
        _ = try configuration.canaryChecks.preflightCheck(model: model)
        var context = context
        context.model = RecordContext.Model(path: canary.path, name: canary.name, version: canary.version, model: model)
        self.model = model
        encoder = RecordEncoder(context: context, outputs: model.outputs)
        routing = CanaryRouting(percent: canary.percent)
    }
}

extension ModelCandidate {
    /// Loads `model.canary`'s model and checks it as a reload candidate (features, warm-up,
    /// golden file: its answers are acted on); `nil` when no canary is configured.
    ///
    /// - Throws: ``ModelRefusal`` whose message starts with `model.canary: `.
    public static func prepareCanary(configuration: SluiceConfiguration) throws(ModelRefusal) -> Model? {
        guard let canary = configuration.model.canary else { return nil }
        do {
            return try prepare(path: canary.path, configuration: configuration.canaryChecks)
        } catch {
            throw ModelRefusal(error.reason, "model.canary: \(error.message)")
        }
    }
}

/// `model.canary` is configured, but the processor was not given its model.
public struct CanaryModelMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "model.canary names \(path), but no canary model was loaded" }
}

extension RecordContext.Model {
    /// A model beside the served one (shadow, canary) as its records name it: the configured
    /// `name` (else the file's name without its extension) and `version` (else the file's own,
    /// else `unversioned`), and the file's SHA-256.
    init(path: String, name: String?, version: String?, model: SluiceModel.Model) {
        self.init(
            name: name ?? String(path.split(separator: "/").last.map { $0.split(separator: ".").first ?? $0 } ?? "model"),
            version: version ?? model.identity.version ?? "unversioned",
            sha256: model.identity.sha256
        )
    }
}

extension Processor {
    /// The canary model as its records name it, when `model.canary` is configured.
    public var canaryModel: RecordContext.Model? { canary?.encoder.context.model }
}
