import SluiceKafka

extension OutputSender {
    /// Serves the producer's delivery reports into the ledger (waiting up to `timeout` for the
    /// first), then sends again the failed outputs whose backoff has passed.
    func serveDeliveryReports(timeout: Duration) throws {
        try producer.pollDeliveryReports(timeout: timeout) { report in
            if let topic = report.undeliveredMessage?.topic { observer?.processorDeliveryFailed(topic: topic) }
            switch books.ledger.acknowledge(DeliveryToken(rawValue: report.token), delivered: report.isDelivered) {
            case .recorded:
                books.statistics.acknowledgedOutputs += 1
            case .stale:
                break
            case .failed(let partition, let offset):
                try handleFailedDelivery(report, of: partition, offset: offset)
            }
        }
        try sendRejectedAsDeadLetters()
        try resendDueOutputs()
        if !lastResortTokens.isEmpty {
            lastResortTokens = lastResortTokens.filter { books.ledger.trackedOffset(of: DeliveryToken(rawValue: $0.token)) != nil }
        }
    }

    /// Serves delivery reports until `isDone` holds, failing after `timeout`.
    func awaitDeliveries(timeout: Duration, until isDone: () -> Bool) throws {
        let deadline = clock.now + timeout
        while !isDone() {
            guard clock.now < deadline else {
                throw ProcessorError.deliveriesTimedOut(inFlight: books.ledger.inFlight, after: timeout)
            }
            try serveDeliveryReports(timeout: .milliseconds(10))
        }
    }

    /// Takes a failed delivery of an output of `offset`: a retriable failure within the policy is
    /// scheduled to be sent again with the same ledger token, a non-retriable one is a refusal for
    /// good (``reject(_:)``), and a retriable one past the policy stops the processor. The offset
    /// stays uncommittable until the output, or the dead letter in its place, is acknowledged.
    private func handleFailedDelivery(_ report: KafkaDeliveryReport, of input: InputPartition, offset: Int64) throws {
        guard let message = report.undeliveredMessage, let error = report.error else {
            preconditionFailure("a failed delivery report without its message or error")
        }
        if isTransactional, error.code == .purgedInQueue || error.code == .purgedInFlight {
            // Dropped as a doomed transaction aborts: the redo sends it again.
            return books.refusals.failed()
        }
        guard error.isRetriable else {
            return try reject(
                RejectedOutput(topic: message.topic, key: message.key, token: message.token, input: input, offset: offset, error: error)
            )
        }
        if isTransactional {
            // The transaction can only abort now; its redo sends the output again.
            logger.warning(
                "output not delivered; the transaction is aborted and redone", metadata: ["output": "\(message.topic)", "error": "\(error)"]
            )
            return books.refusals.failed()
        }
        let resends = retries.resendCount(of: message)
        guard resends < retryPolicy.maxResends else {
            throw ProcessorError.deliveryFailed(
                output: message.topic, topic: inputTopics[input.topic], partition: input.partition, offset: offset, resends: resends,
                cause: error
            )
        }
        let backoff = retryPolicy.backoff(beforeResend: resends + 1)
        logger.warning(
            "output not delivered; sending it again",
            metadata: [
                "output": "\(message.topic)", "input": "\(inputTopics[input.topic])[\(input.partition)]@\(offset)",
                "resend": "\(resends + 1)/\(retryPolicy.maxResends)", "backoff": "\(backoff)", "error": "\(error)",
            ]
        )
        retries.schedule(message, at: clock.now + backoff)
    }

    /// Sends a dead letter for each output the broker refused for good since the last call (after
    /// the poll that reported them, as sending may serve delivery reports): an output's place is
    /// taken by an `output_rejected` dead letter with the same ledger token; a refused dead letter
    /// is sent again in its smallest form, which any topic that takes records at all accepts.
    private func sendRejectedAsDeadLetters() throws {
        while let output = rejected.popLast() {
            let token = DeliveryToken(rawValue: output.token)
            guard books.ledger.trackedOffset(of: token) != nil else { continue }
            let isDeadLetter = output.topic == deadLetterTopic.name
            let reason = Self.reason(rejecting: output, isDeadLetter: isDeadLetter)
            let send = { (key: UnsafeRawBufferPointer?) in
                try self.sendDeadLetter(
                    key: key, reason: reason, topic: output.input.topic, partition: output.input.partition, offset: output.offset,
                    token: token, limitedTo: isDeadLetter ? DeadLetterBuilder.minimumMaxMessageBytes : nil
                )
            }
            if let key = output.key, !isDeadLetter { try key.withUnsafeBytes(send) } else { try send(nil) }
        }
    }

    /// Why an event's dead letter stands in for its `output`, refused for good.
    static func reason(rejecting output: RejectedOutput, isDeadLetter: Bool) -> DeadLetterReason {
        DeadLetterReason.outputRejected(
            topic: output.topic, reason: isDeadLetter ? "the dead letter itself was refused (\(output.error))" : "\(output.error)"
        )
    }

    /// Takes an output the broker refused for good: with `outputs.on_rejected: dead_letter` a
    /// dead letter is queued to take its place (sent after the current poll), unless one already
    /// stood in for this event and was refused too; otherwise the processor stops. Inside a
    /// transaction the dead letter is sent when the aborted span is redone
    /// (``TransactionRefusals``).
    func reject(_ output: RejectedOutput) throws {
        let rejection = ProcessorError.outputRejected(
            output: output.topic, topic: inputTopics[output.input.topic], partition: output.input.partition, offset: output.offset,
            cause: output.error
        )
        if isTransactional, onRejected == .deadLetter {
            guard books.refusals.refused(output, deadLetterTopic: deadLetterTopic.name) else { throw rejection }
            logger.error(
                "output refused for good; the transaction is aborted and the event dead-lettered when it is redone",
                metadata: ["error": "\(rejection)"]
            )
            return
        }
        let lastResort = DeliveryRetries.Output(token: output.token, topic: deadLetterTopic.name)
        guard onRejected == .deadLetter, !(output.topic == deadLetterTopic.name && lastResortTokens.contains(lastResort)) else {
            throw rejection
        }
        logger.error("output refused for good; a dead letter takes its place", metadata: ["error": "\(rejection)"])
        lastResortTokens.insert(lastResort)
        rejected.append(output)
    }

    /// Sends again the failed outputs whose backoff has passed, except those whose offset is no
    /// longer tracked (its partition was given up); while the producer's queue is full they wait
    /// for the next call. Forgets the resend counts of settled offsets.
    private func resendDueOutputs() throws {
        guard !retries.isEmpty else { return }
        let now = clock.now
        while let message = retries.nextDue(now: now) {
            guard let input = books.ledger.trackedOffset(of: DeliveryToken(rawValue: message.token)) else {
                retries.removeNext(sent: false)
                continue
            }
            let outcome: KafkaSendOutcome
            do {
                outcome = try producer.send(message)
            } catch {
                throw ProcessorError.deliveryFailed(
                    output: message.topic, topic: inputTopics[input.partition.topic], partition: input.partition.partition,
                    offset: input.offset, resends: retries.resendCount(of: message), cause: error
                )
            }
            guard outcome == .enqueued else { break }
            retries.removeNext(sent: true)
            books.statistics.deliveryRetries += 1
        }
        retries.forgetSettled { books.ledger.trackedOffset(of: DeliveryToken(rawValue: $0)) == nil }
    }
}
