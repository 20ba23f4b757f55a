import SluiceKernels
import SluiceModel

/// Scoring: a closed batch goes to its model (or, with a canary, to both models by row), and its
/// records, shadow records and drift observations follow.
extension ProcessorLoop {
    /// Scores the open batch, if any row joined it.
    func closeOpenBatch() throws {
        if let batch = intake.closeOpenBatch(now: clock.now) { try scoreAndRecycle(batch) }
    }

    /// Scores a closed batch and hands its storage back to the intake.
    func scoreAndRecycle(_ batch: MicroBatch) throws {
        try score(batch)
        intake.recycle(batch)
    }

    /// Predicts the batch and sends its records.
    func score(_ batch: MicroBatch) throws {
        let replaced = adoptReplacedModel()
        let started = clock.now
        if replaced, let previous = lastBatchStartedAt { recordReplacementGap(since: previous, now: started) }
        lastBatchStartedAt = started
        let compute: Duration
        if let canary {
            compute = try score(batch, splittingWith: canary, started: started)
        } else {
            compute = try score(batch, with: session, as: .served, started: started)
        }
        observer?.processorScored(batch, computeStartedAt: started, compute: compute)
        books.statistics.batches += 1
        latency.await(batch)
    }

    /// Predicts `batch` with `session`, a model in `role` whose encoder the sender holds, and
    /// sends its records and shadow records; returns the model's time.
    @discardableResult
    func score(_ batch: MicroBatch, with session: ModelSession, as role: ModelRole, started: ContinuousClock.Instant) throws -> Duration {
        let outputs: [Tensor]
        do {
            outputs = try session.predict(batch)
        } catch {
            throw ProcessorError.predictionFailed(batch: batch.id, rows: batch.count, cause: error)
        }
        let compute = clock.now - started
        // The reference profile holds the served model's outputs: a canary's would read as drift.
        if role == .served { drift?.observe(batch, outputs: outputs) }
        observer?.processorScored(rows: batch.count, by: self.outputs.encoder.context.model, role: role, compute: compute)
        books.statistics.computeTime.record(microseconds: RecordEncoder.microseconds(compute))
        try self.outputs.sendRecords(of: batch, outputs: outputs, timing: RecordEncoder.BatchTiming(computeStartedAt: started, compute: compute))
        try shadow?.score(batch, beside: outputs, sender: self.outputs, observer: observer)
        return compute
    }
}
