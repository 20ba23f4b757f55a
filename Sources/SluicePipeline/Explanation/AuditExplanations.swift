/// Adds a prediction's explanation (`audit.explain`) to its audit record: the explained target,
/// its expected value, and the `top` feature attributions largest in magnitude, each with the
/// feature's name and value (`Topics/schemas/audit.schema.json`, `explanation`).
///
/// Feature names are escaped once; per record only numbers are written. Used on the loop's thread.
public struct AuditExplanations: Sendable {
    public let attributor: FeatureAttributor
    /// How many attributions each record lists: `audit.explain.top`, at most one per feature.
    public let top: Int
    /// `{"feature":"<name>","value":` per feature column, the first of the list without its comma.
    private let featureOpenings: [[UInt8]]
    private let methodFragment: [UInt8]

    public init(attributor: FeatureAttributor, top: Int) {
        self.attributor = attributor
        self.top = min(top, attributor.featureNames.count)
        featureOpenings = attributor.featureNames.map { name in
            var buffer = JSONBuffer(capacity: 32)
            buffer.append(raw: #"{"feature":"#)
            buffer.append(string: name)
            buffer.append(raw: #","value":"#)
            return buffer.bytes
        }
        var fragment = JSONBuffer(capacity: 64)
        fragment.append(raw: #","explanation":{"method":"#)
        fragment.append(string: attributor.methodName)
        fragment.append(raw: #","output":"raw_score","target":"#)
        methodFragment = fragment.bytes
    }

    /// Appends row `row`'s explanation to `audit`, which holds its complete audit record.
    func append(row: Int, of batch: MicroBatch, toAudit audit: inout JSONBuffer) {
        batch.withRow(row) { append(explanationOf: $0, toAudit: &audit) }
    }

    /// Appends the explanation of the feature row `values` to `audit`, which holds a complete JSON
    /// object (the row's audit record), as its last field.
    public func append(explanationOf values: UnsafeBufferPointer<Float>, toAudit audit: inout JSONBuffer) {
        let explanation = attributor.explain(values)
        audit.removeLastByte()
        audit.append(raw: methodFragment)
        audit.append(explanation.target)
        audit.append(raw: #","expected_value":"#)
        audit.append(explanation.expectedValue)
        audit.append(raw: #","top":["#)
        for (rank, feature) in Self.largest(top, of: explanation.attributions).enumerated() {
            if rank > 0 { audit.append(raw: ",") }
            audit.append(raw: featureOpenings[feature])
            audit.append(values[feature])
            audit.append(raw: #","attribution":"#)
            audit.append(explanation.attributions[feature])
            audit.append(raw: "}")
        }
        audit.append(raw: "]}}")
    }

    /// The indices of the `count` values largest in magnitude, largest first; ties keep column order.
    static func largest(_ count: Int, of values: [Double]) -> [Int] {
        let order = values.indices.sorted { abs(values[$0]) > abs(values[$1]) || (abs(values[$0]) == abs(values[$1]) && $0 < $1) }
        return Array(order.prefix(count))
    }
}
