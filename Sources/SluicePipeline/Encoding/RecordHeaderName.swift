/// The Kafka header names Sluice writes.
public enum RecordHeaderName {
    /// On predictions and audit records: the prediction's id, linking the two.
    public static let predictionID = "sluice-prediction-id"
    /// On predictions: `name:version` of the model.
    public static let model = "sluice-model"
    /// W3C trace context, copied from the input to the prediction.
    public static let traceparent = "traceparent"
    /// On dead letters, after Kafka Connect's `__connect.errors.*` convention.
    public static let errorClass = "sluice-error-class"
    public static let errorMessage = "sluice-error-message"
    public static let sourceTopic = "sluice-source-topic"
    public static let sourcePartition = "sluice-source-partition"
    public static let sourceOffset = "sluice-source-offset"
}
