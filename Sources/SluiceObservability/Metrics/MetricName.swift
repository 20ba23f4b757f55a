/// Sluice's metric names, after Prometheus' conventions: `sluice_` prefix, base units (seconds,
/// bytes), `_total` on counters. README.md's "Observability" section lists them with their labels.
public enum MetricName {
    public static let eventsConsumed = "sluice_events_consumed_total"
    public static let eventsPredicted = "sluice_events_predicted_total"
    /// Label `error_class`: `invalid_json`, `missing_feature`, `wrong_type`, `wrong_length`.
    public static let eventsDeadLettered = "sluice_events_dead_lettered_total"
    /// Events of lost partitions given up uncommitted (their next owner consumes them again).
    public static let eventsAbandoned = "sluice_events_abandoned_total"
    /// Offset resets: the broker no longer had input the consumer asked for (retention deleted it
    /// unread); label `topic`.
    public static let inputOffsetResets = "sluice_input_offset_resets_total"
    /// Input events never consumed because of those resets; label `topic`.
    public static let eventsSkipped = "sluice_events_skipped_total"
    /// Label `output`: `predictions`, `audit`, `dead_letter`; `topic`.
    public static let recordsProduced = "sluice_records_produced_total"
    public static let recordsAcknowledged = "sluice_records_acknowledged_total"
    /// Labels as ``recordsProduced``.
    public static let deliveryFailures = "sluice_delivery_failures_total"
    public static let batchSize = "sluice_batch_size_events"
    public static let queueWait = "sluice_queue_wait_seconds"
    public static let inference = "sluice_inference_seconds"
    public static let endToEnd = "sluice_end_to_end_latency_seconds"
    public static let eventsInFlight = "sluice_events_in_flight"
    public static let partitionsAssigned = "sluice_partitions_assigned"
    public static let partitionsPaused = "sluice_partitions_paused"
    public static let backpressurePauses = "sluice_backpressure_pauses_total"
    public static let backpressureHolds = "sluice_backpressure_holds_total"
    public static let inputHeld = "sluice_input_held"
    public static let producerQueueFullWaits = "sluice_producer_queue_full_waits_total"
    /// Labels `topic`, `partition`.
    public static let consumerLag = "sluice_consumer_lag_messages"
    public static let commits = "sluice_commits_total"
    public static let commitFailures = "sluice_commit_failures_total"
    /// Label `kind`: `assigned`, `revoked`, `lost`.
    public static let rebalances = "sluice_rebalances_total"
    /// Labels `name`, `version`, `sha256`; always 1, for the model serving only.
    public static let modelInfo = "sluice_model_info"
    /// Models loaded to serve; label `trigger`: `start`, `file`, `signal`, `http`.
    public static let modelLoads = "sluice_model_loads_total"
    /// Reloads that put a new model in place.
    public static let modelReloads = "sluice_model_reloads_total"
    /// Candidates refused; label `reason`: `unloadable`, `incompatible`, `warm_up_failed`, `validation_failed`.
    public static let modelRefusals = "sluice_model_refusals_total"
    /// Events each model scored; labels `name`, `version`, `sha256`, `role` (`served`, `canary`).
    public static let modelPredictions = "sluice_model_predictions_total"
    /// Per batch, each model's compute time; labels as ``modelPredictions``.
    public static let modelInference = "sluice_model_inference_seconds"
    /// Labels `name`, `version`, `sha256`; always 1, for the shadow model (`model.shadow`).
    public static let shadowModelInfo = "sluice_shadow_model_info"
    /// Labels `name`, `version`, `sha256`, `percent`; always 1, for the canary model (`model.canary`).
    public static let canaryModelInfo = "sluice_canary_model_info"
    public static let shadowPredictions = "sluice_shadow_predictions_total"
    public static let shadowFailures = "sluice_shadow_failures_total"
    public static let shadowLabelsCompared = "sluice_shadow_labels_compared_total"
    public static let shadowLabelsAgreeing = "sluice_shadow_labels_agreeing_total"
    public static let shadowScoreDifference = "sluice_shadow_score_difference"
    public static let shadowInference = "sluice_shadow_inference_seconds"
    public static let producerQueueMessages = "sluice_producer_queue_messages"
    public static let producerQueueBytes = "sluice_producer_queue_bytes"
    /// Labels `client` (`consumer`, `producer`), `broker`.
    public static let brokerRoundTrip = "sluice_kafka_broker_rtt_seconds"
    /// Labels as ``brokerRoundTrip``.
    public static let brokerRoundTripP99 = "sluice_kafka_broker_rtt_p99_seconds"
    /// Label `client`.
    public static let brokersUp = "sluice_kafka_brokers_up"
}
