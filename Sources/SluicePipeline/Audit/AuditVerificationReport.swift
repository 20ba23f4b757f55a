/// What ``AuditVerifier`` found: how many audited predictions replayed to the very same record,
/// and every one that did not, counted by finding (with the first few as examples).
public struct AuditVerificationReport: Sendable, CustomStringConvertible {
    /// Why an audited prediction could not be confirmed.
    public enum Finding: String, Sendable, CaseIterable {
        /// Its input record is no longer in the input topic (retention, compaction, another cluster).
        case inputMissing = "input_missing"
        /// The input record's payload does not have the SHA-256 the audit record names.
        case payloadChanged = "payload_changed"
        /// The model the audit record names (by SHA-256) is not among the models at hand.
        case modelNotAtHand = "model_not_at_hand"
        /// The input no longer decodes with the configured features.
        case undecodable
        /// The input decodes to a feature row other than the audited one (the features changed).
        case featuresChanged = "features_changed"
        /// No prediction record has the audit record's prediction id.
        case predictionMissing = "prediction_missing"
        /// Re-scored, the model writes a prediction other than the one recorded.
        case outputsDiffer = "outputs_differ"
    }

    /// One audited prediction that was not confirmed, and why.
    public struct Difference: Sendable, Hashable {
        public var predictionID: String
        public var finding: Finding
        public var detail: String
    }

    /// How many differences ``examples`` keeps.
    public static let exampleLimit = 20

    /// Distinct audited predictions read.
    public var audited = 0
    /// Audit records that could not be read as such.
    public var unreadableAudits = 0
    /// Audited predictions whose replay wrote exactly the recorded prediction.
    public var identical = 0
    /// Unconfirmed predictions by finding.
    public var counts: [Finding: Int] = [:]
    /// The first ``exampleLimit`` unconfirmed predictions.
    public var examples: [Difference] = []

    /// Whether every audited prediction was confirmed and every audit record read.
    public var isClean: Bool { unreadableAudits == 0 && counts.values.allSatisfy { $0 == 0 } }

    mutating func record(_ finding: Finding, predictionID: String, detail: String) {
        counts[finding, default: 0] += 1
        if examples.count < Self.exampleLimit {
            examples.append(Difference(predictionID: predictionID, finding: finding, detail: detail))
        }
    }

    public var description: String {
        var lines = ["audited predictions: \(audited), replayed identically: \(identical)"]
        if unreadableAudits > 0 { lines.append("unreadable audit records: \(unreadableAudits)") }
        for finding in Finding.allCases {
            if let count = counts[finding], count > 0 { lines.append("\(finding.rawValue): \(count)") }
        }
        for example in examples {
            lines.append("  \(example.predictionID): \(example.finding.rawValue): \(example.detail)")
        }
        return lines.joined(separator: "\n")
    }
}
