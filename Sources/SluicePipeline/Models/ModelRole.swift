/// What a model that scores events is to the processor: the `role` label of the per-model metrics.
public enum ModelRole: String, Sendable, Hashable, CaseIterable {
    /// The model at `model.path` (or its reloaded replacement): scores every event the canary does not.
    case served
    /// `model.canary`: scores its share of the events in the served model's place.
    case canary
}
