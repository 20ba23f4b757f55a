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
        try resendDueOutputs()
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
    /// scheduled to be sent again with the same ledger token; any other stops the processor. The
    /// offset stays uncommittable either way until the output is acknowledged.
    private func handleFailedDelivery(_ report: KafkaDeliveryReport, of input: InputPartition, offset: Int64) throws {
        guard let message = report.undeliveredMessage, let error = report.error else {
            preconditionFailure("a failed delivery report without its message or error")
        }
        let reason = "\(error)"
        let resends = retries.resendCount(of: message)
        guard error.isRetriable, resends < retryPolicy.maxResends else {
            throw ProcessorError.deliveryFailed(
                output: message.topic, topic: inputTopics[input.topic], partition: input.partition, offset: offset, resends: resends,
                reason: reason
            )
        }
        let backoff = retryPolicy.backoff(beforeResend: resends + 1)
        logger.warning(
            "output not delivered; sending it again",
            metadata: [
                "output": "\(message.topic)", "input": "\(inputTopics[input.topic])[\(input.partition)]@\(offset)",
                "resend": "\(resends + 1)/\(retryPolicy.maxResends)", "backoff": "\(backoff)", "error": "\(reason)",
            ]
        )
        retries.schedule(message, at: clock.now + backoff)
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
                    offset: input.offset, resends: retries.resendCount(of: message), reason: "\(error)"
                )
            }
            guard outcome == .enqueued else { break }
            retries.removeNext(sent: true)
            books.statistics.deliveryRetries += 1
        }
        retries.forgetSettled { books.ledger.trackedOffset(of: DeliveryToken(rawValue: $0)) == nil }
    }
}
