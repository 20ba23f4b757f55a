import SluiceKernels
import SluiceModel
import SluicePipeline
import SluiceRandom

/// What `audit.explain: {top: 3}` costs per event for each model family: explaining a row (exact
/// TreeSHAP, or a linear model's coefficients), picking its top 3 and writing them into an audit
/// record, beside the same model scoring the same rows in batches of 256 (the reference, in the
/// same run). Rows are random, roughly standard normal, as the example models were trained on;
/// tree covers are counted from 2,000 of them, as `sluice profile` would.
func benchmarkExplanations() throws {
    let models = [
        "random-forest-regressor", "random-forest-classifier", "gradient-boosting-classifier", "hist-gradient-boosting-classifier",
        "xgboost-binary", "xgboost-multiclass", "lightgbm-classifier", "lightgbm-regressor", "logistic-binary", "logistic-multiclass",
        "linear-regression",
    ]
    let batchSize = 256
    for name in models {
        let model = try Model(contentsOf: "Models/\(name).onnx")
        let width = model.featureCount!
        var random = SplitMix64(seed: 42)
        let rows = (0 ..< 2_000 * width).map { _ in Float((0 ..< 4).reduce(0.0) { sum, _ in sum + random.uniform() } * 1.7 - 3.4) }
        let names = (0 ..< width).map { "feature_\($0)" }
        var covers: TreeCovers?
        if case .trees(let definition, _) = try model.explainableStage() {
            covers = TreeCovers(for: definition)
            covers?.count(rows, rowCount: 2_000, featureCount: width, through: definition)
        }
        let identity = model.identity
        let profile = ReferenceProfile(
            model: .init(name: identity.name, version: identity.version, sha256: identity.sha256), rows: 2_000,
            features: (0 ..< width).map { column in ColumnProfile(name: names[column], values: stride(from: column, to: rows.count, by: width).map { rows[$0] }) },
            outputs: [], treeCovers: covers
        )
        let explanations = AuditExplanations(attributor: try FeatureAttributor(model: model, profile: profile, featureNames: names), top: 3)
        let session = model.makeSession()
        let batch = Array(rows.prefix(batchSize * width))
        var audit = JSONBuffer()

        // Scoring a batch takes microseconds: 100 of them per timed pass, for the CPU clock to resolve.
        let scoring = try measure(events: 100 * batchSize, rounds: 11) {
            for _ in 0 ..< 100 { _ = try session.predict(features: batch, rows: batchSize) }
        }
        let explaining = measure(events: batchSize, rounds: 11) {
            batch.withUnsafeBufferPointer { batch in
                for row in 0 ..< batchSize {
                    audit.reset()
                    audit.append(raw: "{}")
                    explanations.append(explanationOf: UnsafeBufferPointer(rebasing: batch[(row * width) ..< ((row + 1) * width)]), toAudit: &audit)
                }
            }
        }
        print(
            "explain \(name) (\(explanations.attributor.methodName), top 3): \(String(format: "%.2f", 1e6 / explaining)) µs/event; "
                + "scoring \(String(format: "%.2f", 1e6 / scoring)) µs/event; explanation ÷ scoring ×\(String(format: "%.1f", scoring / explaining))"
        )
    }
}
