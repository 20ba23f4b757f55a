/// A classifier's decision for one row, before it is turned into a label.
public enum ClassifierDecision: Sendable, Hashable {
    /// The index of the winning class label.
    case classIndex(Int)
    /// onnxruntime's answer for two classes that both carry weights: the literal label 1 (or the
    /// second string label) when class 1's score is positive.
    case positive
    /// The literal label 0 (or the first string label).
    case negative
}
