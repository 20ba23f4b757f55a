extension ProcessorLoop {
    /// Takes the model a reload put in ``Processor/models`` since the last batch, if any: the
    /// next batch is scored by it, its records name it, and drift monitoring and explanations
    /// switch to the profiles read with it. Called before each batch only, so a batch never mixes
    /// two models. Returns whether it took one.
    func adoptReplacedModel() -> Bool {
        guard let serving = processor.models.replacement(after: modelGeneration) else { return false }
        session = serving.model.makeSession()
        outputs.encoder = serving.encoder
        outputs.explanations = processor.auditExplanations(for: serving.model, profile: serving.profiles.explanation)
        if let reference = serving.profiles.reference { drift?.adopt(reference) }
        modelGeneration = serving.generation
        books.statistics.modelReplacements += 1
        return true
    }

    /// Keeps the longest gap between the last batch of a model and the first of its replacement.
    func recordReplacementGap(since previous: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        let gap = RecordEncoder.microseconds(now - previous)
        books.statistics.longestGapAtReplacementMicroseconds = max(books.statistics.longestGapAtReplacementMicroseconds, gap)
    }
}
