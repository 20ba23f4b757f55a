/// Why a ``ProcessorService`` could not start or stopped on a failure. Each case keeps the error
/// behind it; a command maps the cases to its exit statuses.
public enum ProcessorServiceError: Error, CustomStringConvertible {
    /// The HTTP endpoint cannot listen on `http.listen` (``SluiceObservability/ListenError``).
    case endpointUnavailable(any Error)
    /// The model cannot be loaded, or the configuration and the model cannot run together
    /// (``SluicePipeline/ProcessorError``, ``SluicePipeline/FeatureSpecError``, or a Kafka client
    /// that cannot be created from `kafka.properties`).
    case unusable(any Error)
    /// No broker answered within `kafka.connect_timeout`; the reason says which were tried.
    case brokersUnreachable(String)
    /// The processor had to stop (``SluicePipeline/ProcessorError``, ``SluiceKafka/KafkaError``);
    /// offsets are committed only up to work whose outputs were all acknowledged.
    case processorFailed(any Error)

    public var description: String {
        switch self {
        case .endpointUnavailable(let error), .unusable(let error), .processorFailed(let error): "\(error)"
        case .brokersUnreachable(let reason): reason
        }
    }
}
