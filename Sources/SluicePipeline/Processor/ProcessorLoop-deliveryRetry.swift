import SluiceKafka

extension ProcessorLoop {
    /// Takes a failed delivery of an output of `offset`: a retriable failure within the policy is
    /// scheduled to be sent again with the same ledger token; any other stops the processor. The
    /// offset stays uncommittable either way until the output is acknowledged.
    func handleFailedDelivery(_ report: KafkaDeliveryReport, of input: InputPartition, offset: Int64) throws {
        guard let message = report.undeliveredMessage, let error = report.error else {
            preconditionFailure("a failed delivery report without its message or error")
        }
        let reason = "\(error)"
        let policy = processor.options.deliveryRetry
        let resends = deliveryRetries.resendCount(of: message)
        guard error.isRetriable, resends < policy.maxResends else {
            throw ProcessorError.deliveryFailed(
                output: message.topic, topic: topics[input.topic], partition: input.partition, offset: offset, resends: resends,
                reason: reason
            )
        }
        let backoff = policy.backoff(beforeResend: resends + 1)
        logger.warning(
            "output not delivered; sending it again",
            metadata: [
                "output": "\(message.topic)", "input": "\(topics[input.topic])[\(input.partition)]@\(offset)",
                "resend": "\(resends + 1)/\(policy.maxResends)", "backoff": "\(backoff)", "error": "\(reason)",
            ]
        )
        deliveryRetries.schedule(message, at: clock.now + backoff)
    }

    /// Sends again the failed outputs whose backoff has passed, except those whose offset is no
    /// longer tracked (its partition was given up); while the producer's queue is full they wait
    /// for the next call. Forgets the resend counts of settled offsets.
    func resendDueOutputs() throws {
        guard !deliveryRetries.isEmpty else { return }
        let now = clock.now
        while let message = deliveryRetries.nextDue(now: now) {
            guard let input = ledger.trackedOffset(of: DeliveryToken(rawValue: message.token)) else {
                deliveryRetries.removeNext(sent: false)
                continue
            }
            let outcome: KafkaSendOutcome
            do {
                outcome = try producer.send(message)
            } catch {
                throw ProcessorError.deliveryFailed(
                    output: message.topic, topic: topics[input.partition.topic], partition: input.partition.partition,
                    offset: input.offset, resends: deliveryRetries.resendCount(of: message), reason: "\(error)"
                )
            }
            guard outcome == .enqueued else { break }
            deliveryRetries.removeNext(sent: true)
            statistics.deliveryRetries += 1
        }
        deliveryRetries.forgetSettled { ledger.trackedOffset(of: DeliveryToken(rawValue: $0)) == nil }
    }
}
