import Logging

extension ProcessorLoop {
    /// Waits before attempt `attempt + 1` to get an event's schema, which cannot be had for
    /// `reason`: 100 ms doubling up to 5 s. Meanwhile the input is held (nothing is polled or
    /// dead-lettered) but the outputs in flight are still acknowledged and their offsets stored,
    /// and readiness says why. Returns false, at once, when the processor is asked to stop.
    func holdForSchema(reason: String, attempt: Int) throws -> Bool {
        if attempt == 0 {
            logger.warning("input held: an event's schema cannot be had; retrying", metadata: ["reason": "\(reason)"])
            observer?.processorInputHeld(reason)
            isHeldForSchema = true
        }
        let delay = min(Duration.milliseconds(100) * (1 << min(attempt, 6)), .seconds(5))
        let resumeAt = clock.now + delay
        while clock.now < resumeAt {
            if processor.isStopping { return false }
            try outputs.serveDeliveryReports(timeout: max(.zero, min(.milliseconds(20), resumeAt - clock.now)))
            try settle()
            publish()
        }
        return !processor.isStopping
    }

    /// Tells readiness the input moves again, after a hold for a schema.
    func releaseSchemaHold() {
        guard isHeldForSchema else { return }
        isHeldForSchema = false
        logger.info("input released: the event's schema arrived")
        observer?.processorInputHeld(nil)
    }
}
