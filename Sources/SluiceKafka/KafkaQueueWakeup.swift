import CRdKafka
import CSluiceWakeup
import Glibc
import SluiceTime

/// Lets one thread wait for several librdkafka clients at once, to the microsecond.
///
/// librdkafka writes to this wakeup's `eventfd` when a queue attached to it (a consumer's messages
/// with ``KafkaConsumer/wake(_:)``, a producer's delivery reports with ``KafkaProducer/wake(_:)``)
/// gets an item while empty. ``wait(timeout:)`` sleeps until then or until its timeout, which
/// `ppoll` keeps to the microsecond. librdkafka's own blocking polls take whole milliseconds
/// (a deadline 0.3 ms away became a 1 ms wait) and wake for their own queue only.
///
/// librdkafka signals only when a queue goes from empty to non-empty. So: ``reset()``, then poll
/// every attached queue until it is empty, and only then ``wait(timeout:)``; an item arriving at
/// any point after the reset wakes the wait.
public final class KafkaQueueWakeup: Sendable {
    let descriptor: Int32

    /// - Throws: ``KafkaError`` when the system refuses an `eventfd`.
    public init() throws(KafkaError) {
        descriptor = sluice_wakeup_create()
        guard descriptor >= 0 else {
            throw KafkaError(code: .init(RD_KAFKA_RESP_ERR__FAIL), message: "cannot create an eventfd: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sleeps until an attached queue gets an item or `timeout` passes; returns whether it was
    /// woken. Blocks the calling thread.
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        sluice_wakeup_wait(descriptor, min(timeout, .seconds(1_000_000_000)).wholeNanoseconds) == 1
    }

    /// Forgets the wake-ups signalled so far: call it just before polling the attached queues.
    public func reset() {
        sluice_wakeup_reset(descriptor)
    }

    /// Has librdkafka write to this wakeup when `queue` gets an item while empty.
    func attach(_ queue: OpaquePointer) {
        // eventfd takes 8-byte writes: each adds 1 to its counter. librdkafka copies the payload.
        withUnsafeBytes(of: UInt64(1)) { payload in
            rd_kafka_queue_io_event_enable(queue, descriptor, payload.baseAddress, payload.count)
        }
    }
}
