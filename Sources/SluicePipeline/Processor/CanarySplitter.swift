import SluiceModel

/// Divides each batch between the served model and the canary (``CanaryRouting``): a batch wholly
/// for one model is scored as it is; a mixed one is copied into two part batches, reused from
/// batch to batch, each keeping its rows' order. Used only on the loop's thread.
final class CanarySplitter {
    /// How a batch divides.
    enum Division {
        /// Every row goes to one model.
        case whole(ModelRole)
        /// Rows go to both: ``servedPart`` and ``canaryPart`` hold them.
        case split
    }

    let canary: CanaryModel
    let session: ModelSession
    /// Explains the canary's audit records (`audit.explain`), as the served model's are.
    let explanations: AuditExplanations?
    /// After a ``Division/split``: the rows the served model scores.
    private(set) var servedPart: MicroBatch
    /// After a ``Division/split``: the rows the canary scores.
    private(set) var canaryPart: MicroBatch
    private let inputTopics: [String]
    /// Per row of the batch being divided, whether it goes to the canary.
    private var routes: [Bool] = []

    init(_ canary: CanaryModel, explanations: AuditExplanations?, layout: ModelInputLayout, capacity: Int, inputTopics: [String]) {
        self.canary = canary
        self.explanations = explanations
        session = canary.model.makeSession()
        servedPart = MicroBatch(layout: layout, capacity: capacity)
        canaryPart = MicroBatch(layout: layout, capacity: capacity)
        self.inputTopics = inputTopics
        routes.reserveCapacity(capacity)
    }

    /// Routes each row of `batch`; fills the parts only when both models get rows.
    func divide(_ batch: MicroBatch) -> Division {
        routes.removeAll(keepingCapacity: true)
        var canaryRows = 0
        for row in 0..<batch.count {
            let goesToCanary = routesToCanary(batch.rows[row], of: batch)
            routes.append(goesToCanary)
            if goesToCanary { canaryRows += 1 }
        }
        if canaryRows == 0 { return .whole(.served) }
        if canaryRows == batch.count { return .whole(.canary) }
        servedPart.startPart(of: batch)
        canaryPart.startPart(of: batch)
        for row in 0..<batch.count {
            if routes[row] { canaryPart.appendRow(row, of: batch) } else { servedPart.appendRow(row, of: batch) }
        }
        return .split
    }

    private func routesToCanary(_ row: MicroBatch.Row, of batch: MicroBatch) -> Bool {
        guard let key = row.key else {
            return canary.routing.routesToCanary(topic: inputTopics[row.topic], partition: row.partition, offset: row.offset)
        }
        return batch.withBytes(key) { canary.routing.routesToCanary(key: $0) }
    }
}
