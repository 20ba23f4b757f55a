import SluiceKafka

/// Exactly-once delivery: the records a span of input produced (predictions, audit records, dead
/// letters) and the input offsets the span completes are committed in one Kafka transaction, so
/// a read_committed consumer of the outputs sees each input's records once, whatever crashes.
///
/// A transaction begins before the first event of a span is taken, and commits when it has been
/// open `delivery.transaction_ms` or holds `backpressure.max_in_flight` events, on a revoke
/// (before the partitions are released) and on a stop. To commit, the loop scores the open batch
/// and waits for every output to be acknowledged, so that the offsets it sends cover everything
/// the transaction wrote. A failure that only dooms the transaction (a refused commit, a failed
/// delivery: see ``TransactionRefusals``) aborts it, rewinds the input to where the span began and
/// redoes it; a fenced or fatal producer stops the processor without
/// committing (the brokers abort its transaction, and the partitions' next owner redoes it).
extension ProcessorLoop {
    /// Registers the processor's transactional id, fencing an older instance with the same id
    /// and aborting the transaction it left open. `/readyz` reports not ready meanwhile.
    func initializeTransactions() throws {
        guard processor.configuration.delivery == .exactlyOnce else { return }
        observer?.processorInitializingTransactions(true)
        defer { observer?.processorInitializingTransactions(false) }
        try transactional!.sink.initTransactions(timeout: processor.options.drainTimeout)
    }

    /// Begins a transaction before `messages` are taken in, unless one is open, and notes where
    /// the span begins in each partition.
    func beginTransactionIfNeeded(taking messages: Source.Batch) throws {
        guard transactions != nil else { return }
        if !transactions!.isOpen {
            try transactional!.sink.beginTransaction()
            transactions!.began(at: clock.now)
        }
        transactions!.taking(messages, assignment: assignment)
    }

    /// Commits the open transaction when it is due.
    func commitTransactionIfDue(now: ContinuousClock.Instant) throws {
        guard let span = transactions,
            span.isDue(now: now, interval: processor.configuration.transactionInterval, maxEvents: processor.configuration.backpressure.maxInFlight)
        else { return }
        try commitTransaction()
    }

    /// Scores the open batch, waits for every output, and commits the open transaction with the
    /// offsets it completes. An abortable failure aborts it and rewinds the input instead.
    func commitTransaction() throws {
        guard let span = transactions, span.isOpen, let beganAt = span.beganAt else { return }
        do {
            try closeOpenBatch()
            // The commit flushes the producer, which counts uncollected delivery reports (stale ones
            // of an aborted span too) as outstanding: collect them all first.
            try outputs.awaitDeliveries(timeout: processor.options.drainTimeout) {
                books.refusals.doomsOpenTransaction || (books.ledger.inFlight == 0 && transactional!.sink.inFlightCount == 0)
            }
            if books.refusals.doomsOpenTransaction { return try abortTransaction() }
            try settle()
            let offsets = transactions!.offsetsToCommit
            try transactional!.sink.sendOffsetsToTransaction(
                offsets, groupMetadata: transactional!.source.groupMetadata(), timeout: processor.options.drainTimeout
            )
            try commitRetryingOnce()
            transactions!.reset()
            books.statistics.transactionsCommitted += 1
            observer?.processorCommittedTransaction(openFor: clock.now - beganAt)
        } catch KafkaTransactionFailure.abortable(let error) {
            logger.warning("transaction aborted; its input is redone", metadata: ["error": "\(error)"])
            try abortTransaction()
        }
    }

    /// Commits; librdkafka reports a commit whose outcome it does not know yet (a timeout) as
    /// retriable, and the same call then resumes it.
    private func commitRetryingOnce() throws(KafkaTransactionFailure) {
        let sink = transactional!.sink
        let timeout = processor.options.drainTimeout
        do throws(KafkaTransactionFailure) {
            try sink.commitTransaction(timeout: timeout)
        } catch {
            guard case .retriable(let cause) = error else { throw error }
            logger.warning("transaction commit unfinished; resuming it", metadata: ["error": "\(cause)"])
            try sink.commitTransaction(timeout: timeout)
        }
    }

    /// Aborts the open transaction and rewinds the input to where its span began: the work
    /// in flight is forgotten (its delivery reports become stale) and taken again.
    func abortTransaction() throws {
        guard let span = transactions, span.isOpen else { return books.refusals.aborted() }
        // librdkafka's abort waits until every record's delivery report is collected, and a
        // doomed transaction sends nothing more: drop what waits and collect the reports, while
        // the ledger still knows their events (a refusal among them is noted for the redo).
        try transactional!.sink.purgeOutstanding()
        try outputs.awaitDeliveries(timeout: processor.options.drainTimeout) { transactional!.sink.inFlightCount == 0 }
        if let batch = intake.closeOpenBatch(now: clock.now) { intake.recycle(batch) }
        let assigned = assignment.assigned
        for partition in assigned {
            guard let input = assignment.inputPartition(partition) else { continue }
            books.ledger.abandon(input)
            _ = books.ledger.assign(input)
        }
        try transactional!.sink.abortTransaction(timeout: processor.options.drainTimeout)
        books.refusals.aborted()
        try transactional!.source.seek(span.rewindOffsets(assignment), timeout: processor.options.drainTimeout)
        transactions!.reset()
        books.statistics.transactionsAborted += 1
        observer?.processorAbortedTransaction()
    }
}
