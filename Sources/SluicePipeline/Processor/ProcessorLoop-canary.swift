import SluiceModel

extension ProcessorLoop {
    /// Scores `batch` with the served model and the canary, each on its own rows
    /// (``CanarySplitter``): each row gets its records from the model that scored it, named in
    /// them, and one prediction (or its dead letter) and one audit record like any row. A key's
    /// records keep their order, as a key always meets the same model; records of different keys
    /// in one input partition may leave in another order (the served model's rows first), as
    /// Kafka orders records per output partition, which the key picks, anyway.
    /// Returns the two models' time together.
    func score(_ batch: MicroBatch, splittingWith splitter: CanarySplitter, started: ContinuousClock.Instant) throws -> Duration {
        switch splitter.divide(batch) {
        case .whole(.served):
            return try score(batch, with: session, as: .served, started: started)
        case .whole(.canary):
            return try scoreWithCanary(batch, splitter)
        case .split:
            let served = try score(splitter.servedPart, with: session, as: .served, started: started)
            return try served + scoreWithCanary(splitter.canaryPart, splitter)
        }
    }

    private func scoreWithCanary(_ batch: MicroBatch, _ splitter: CanarySplitter) throws -> Duration {
        let (served, servedExplanations) = (outputs.encoder, outputs.explanations)
        (outputs.encoder, outputs.explanations) = (splitter.canary.encoder, splitter.explanations)
        defer { (outputs.encoder, outputs.explanations) = (served, servedExplanations) }
        let compute = try score(batch, with: splitter.session, as: .canary, started: clock.now)
        books.statistics.canaryRows += batch.count
        return compute
    }
}
