import SluiceModel

extension ProcessorLoop {
    /// Scores `batch` with the served model and the canary, each on its own rows
    /// (``CanarySplitter``): each row gets its records from the model that scored it, named in
    /// them, and one prediction (or its dead letter) and one audit record like any row. A key's
    /// records keep their order, as a key always meets the same model; records of different keys
    /// in one input partition may leave in another order (the served model's rows first), as
    /// Kafka orders records per output partition, which the key picks, anyway.
    func score(_ batch: MicroBatch, splittingWith splitter: CanarySplitter, started: ContinuousClock.Instant) throws {
        switch splitter.divide(batch) {
        case .whole(.served):
            try score(batch, with: session, as: .served, started: started)
        case .whole(.canary):
            try scoreWithCanary(batch, splitter)
        case .split:
            try score(splitter.servedPart, with: session, as: .served, started: started)
            try scoreWithCanary(splitter.canaryPart, splitter)
        }
    }

    private func scoreWithCanary(_ batch: MicroBatch, _ splitter: CanarySplitter) throws {
        let (served, servedExplanations) = (outputs.encoder, outputs.explanations)
        (outputs.encoder, outputs.explanations) = (splitter.canary.encoder, splitter.explanations)
        defer { (outputs.encoder, outputs.explanations) = (served, servedExplanations) }
        try score(batch, with: splitter.session, as: .canary, started: clock.now)
        books.statistics.canaryRows += batch.count
    }
}
