import Logging
import SluiceKafka

extension OutputSender {
    /// Checks at start that every output topic exists, so that a misnamed or missing topic stops
    /// the processor at once with the field to change, instead of every output failing minutes
    /// later (librdkafka waits `message.timeout.ms` for an unknown topic to appear). A cluster
    /// that does not answer in `timeout` is only logged: the consumer then reports it.
    ///
    /// - Throws: ``ProcessorError/outputTopicMissing(field:topic:)``.
    func checkTopicsExist(_ configuration: SluiceConfiguration, timeout: Duration) throws {
        let topics = [
            ("outputs.predictions", predictionTopic), ("outputs.audit", auditTopic), ("outputs.dead_letter", deadLetterTopic),
        ]
        for (field, topic) in topics {
            do {
                _ = try producer.partitionCount(of: topic, timeout: timeout)
            } catch where error.code == .unknownTopicOrPartition {
                throw ProcessorError.outputTopicMissing(field: field, topic: topic.name)
            } catch {
                logger.warning("cannot check that output topic exists", metadata: ["topic": "\(topic.name)", "error": "\(error)"])
            }
        }
    }
}
