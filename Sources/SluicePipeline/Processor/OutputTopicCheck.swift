import Foundation
import Logging
import SluiceKafka

/// What the broker says about the output topics before the first record reaches them: a topic that
/// does not exist (a broker without `auto.create.topics.enable` refuses every record sent to it),
/// and a topic whose `max.message.bytes` is below the producer's `message.max.bytes` (a record
/// between the two sizes passes the producer and is then refused by the broker).
///
/// The check only warns: what happens to a refused record is `outputs.on_rejected`'s to decide,
/// and a broker that cannot answer (unreachable, or denying DescribeConfigs) must not delay or
/// stop the stream.
struct OutputTopicCheck {
    /// One thing an operator should change before records are refused.
    enum Finding: Equatable, CustomStringConvertible {
        case missing(topic: String)
        case smallerLimit(topic: String, topicLimit: Int, producerLimit: Int)

        var description: String {
            switch self {
            case .missing(let topic):
                "output topic \"\(topic)\" does not exist: create it (sluice topics apply), or records sent to it will be refused"
            case .smallerLimit(let topic, let topicLimit, let producerLimit):
                "output topic \"\(topic)\" takes records up to \(topicLimit) bytes (max.message.bytes) but the producer sends up to "
                    + "\(producerLimit) (message.max.bytes): raise the topic's max.message.bytes or set "
                    + "kafka.properties.message.max.bytes to \(topicLimit), or larger records will be refused"
            }
        }
    }

    /// The output topics of `configuration`, each once.
    static func outputTopics(of configuration: SluiceConfiguration) -> [String] {
        var seen: Set<String> = []
        return [configuration.outputs.predictions, configuration.outputs.audit, configuration.deadLetterTopic]
            .filter { seen.insert($0).inserted }
    }

    /// Asks the broker through `admin` about every output topic of `configuration`: which exist
    /// (cluster metadata, waiting up to `timeout`), then their limits (one DescribeConfigs
    /// request, waiting up to `configTimeout`; a broker that does not answer it, or denies it,
    /// leaves the limits unchecked).
    static func findings(
        for configuration: SluiceConfiguration,
        admin: KafkaAdmin,
        timeout: Duration,
        configTimeout: Duration
    ) throws(KafkaError) -> [Finding] {
        let topics = outputTopics(of: configuration)
        let existing = Set(try admin.describeTopics(topics, timeout: timeout).map(\.name))
        let configs = (try? admin.topicConfigs(of: topics.filter(existing.contains), timeout: configTimeout)) ?? [:]
        let producerLimit = configuration.producerMaxMessageBytes
        return topics.compactMap { topic in
            guard existing.contains(topic) else { return .missing(topic: topic) }
            guard let topicLimit = configs[topic]?["max.message.bytes"].flatMap({ Int($0) }), topicLimit < producerLimit else {
                return nil
            }
            return .smallerLimit(topic: topic, topicLimit: topicLimit, producerLimit: producerLimit)
        }
    }

    /// Runs the check on a thread of its own (admin calls block) and logs each finding as a
    /// warning; a broker that does not answer is noted at debug level only (the consumer and the
    /// producer already say which broker they cannot reach, so the admin client's own connection
    /// warnings are kept quiet).
    static func warnInBackground(configuration: SluiceConfiguration, logger: Logger) {
        Thread.detachNewThread {
            var adminLogger = logger
            adminLogger.logLevel = .critical
            do {
                let admin = try KafkaAdmin(
                    bootstrapServers: configuration.kafka.bootstrap,
                    properties: KafkaClientRole.producer.applicable(configuration.kafka.properties),
                    logger: adminLogger
                )
                for finding in try findings(for: configuration, admin: admin, timeout: .seconds(30), configTimeout: .seconds(30)) {
                    logger.warning("\(finding)")
                }
            } catch {
                logger.debug("output topics not checked", metadata: ["error": "\(error)"])
            }
        }
    }
}
