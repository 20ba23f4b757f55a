import SluiceModel

/// A model scored on the same batches as the serving one (`model.shadow`), whose predictions go to
/// their own topic and are never acted on: a candidate tried on live traffic.
///
/// Its records go to a shadow topic rather than into the audit record: the audit record's schema
/// and size stay what its readers expect, shadow records can be kept for as long as a trial lasts
/// and dropped with their topic, and they pair with predictions by the same prediction id and key.
/// Each is an output of its event like the others: the offset ledger awaits it before the input
/// offset is committed.
struct ShadowModel: Sendable {
    var model: Model
    /// Writes shadow records: prediction records naming the shadow model.
    var encoder: RecordEncoder
    var topic: String

    /// The shadow of `configuration`'s `model.shadow`, or `nil` when none is configured.
    ///
    /// - Throws: ``ShadowModelMissing`` when one is configured but `model` is `nil`, or
    ///   ``ProcessorError`` when the features do not fit it.
    init?(_ model: Model?, configuration: SluiceConfiguration, options: Processor.Options) throws {
        guard let shadow = configuration.model.shadow, let topic = configuration.shadowTopic else { return nil }
        guard let model else { throw ShadowModelMissing(path: shadow.path) }
        _ = try configuration.shadowChecks.preflightCheck(model: model)
        let context = RecordContext(
            inputTopics: configuration.input.topics,
            predictionTopic: topic,
            auditTopic: configuration.outputs.audit,
            model: .init(path: shadow.path, name: shadow.name, version: shadow.version, model: model),
            processorInstance: options.instance,
            processorVersion: options.version
        )
        self.model = model
        self.topic = topic
        encoder = RecordEncoder(context: context, outputs: model.outputs)
    }
}

/// `model.shadow` is configured, but the processor was not given its model.
public struct ShadowModelMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "model.shadow names \(path), but no shadow model was loaded" }
}

extension Processor {
    /// The shadow model as its records name it, when `model.shadow` is configured.
    public var shadowModel: RecordContext.Model? { shadow?.encoder.context.model }
}
