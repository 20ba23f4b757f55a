import SluiceKafka
import SluiceModel

/// The checks a processor makes before it connects, in one place, so that `sluice config check`
/// reports exactly what `sluice run` would refuse, with the same messages.
extension SluiceConfiguration {
    /// Checks that this configuration can drive `model`: the features fit the model's inputs
    /// (names, element types, row widths), no input topic is listed twice, a monitoring
    /// profile fits the model and features, and `audit.explain` can explain the model. Returns the
    /// compiled decoder.
    ///
    /// - Throws: ``ProcessorError``, ``FeatureSpecError``, ``ProfileError`` or ``ExplanationError``
    ///   naming what is wrong.
    public func preflightCheck(model: SluiceModel.Model) throws -> FeatureDecoder {
        let decoder = try FeatureDecoder(inputs: inputSpecs(for: model))
        if !features.isEmpty, let modelFeatures = model.featureCount, modelFeatures != decoder.width {
            throw ProcessorError.featureCountMismatch(features: decoder.width, model: model.identity.name, modelFeatures: modelFeatures)
        }
        if let duplicate = Dictionary(grouping: input.topics, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ProcessorError.duplicateInputTopic(duplicate)
        }
        _ = try referenceProfile(for: model)
        _ = try featureAttributor(for: model)
        return decoder
    }

    /// Has librdkafka check every `kafka.properties` entry as the processor's consumer and producer
    /// would be configured with it, without creating a client or connecting.
    ///
    /// - Throws: ``KafkaError`` naming the first property librdkafka rejects.
    public func checkKafkaProperties() throws(KafkaError) {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: kafka.bootstrap, groupID: kafka.group)
        consumer.properties = KafkaClientRole.consumer.applicable(kafka.properties)
        try consumer.check()
        var producer = KafkaProducerConfiguration(bootstrapServers: kafka.bootstrap)
        producer.properties = KafkaClientRole.producer.applicable(kafka.properties)
        try producer.check()
    }
}
