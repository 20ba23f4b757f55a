/// Outputs the brokers refused inside a transaction, in exactly-once delivery.
///
/// A failed delivery dooms the open transaction: librdkafka then takes no more records and lets
/// it only abort. Redoing the span would meet a refusal for good (a record too large for its
/// topic) again, for ever; so the event whose output was refused for good is remembered across
/// the abort, and when the redo takes it again it goes to the dead-letter topic at once
/// (`output_rejected`) in place of its records. A retriable failure only dooms the transaction:
/// the redo sends the same records again.
///
/// Kept in ``ProcessorBooks``, shared by the sender (which records refusals), the intake (which
/// takes them back) and the loop (which aborts); used only on the loop's thread.
struct TransactionRefusals {
    /// An event to dead-letter when the redo takes it.
    struct Refusal {
        /// The output refused: a prediction, an audit record, or the event's dead letter.
        var output: RejectedOutput
        /// Whether the refused output was the event's dead letter: the redo sends it in its
        /// smallest form, which any topic that takes records at all accepts.
        var refusesDeadLetter: Bool
    }

    private struct InputOffset: Hashable {
        var input: InputPartition
        var offset: Int64
    }

    private var refused: [InputOffset: Refusal] = [:]
    /// Events whose dead letter went out in its smallest form.
    private var lastResorts: Set<InputOffset> = []
    /// Whether a failed delivery doomed the open transaction, which must be aborted before
    /// anything else is sent or committed.
    private(set) var doomsOpenTransaction = false

    /// Whether no event waits to be dead-lettered on its redo.
    var isEmpty: Bool { refused.isEmpty }

    /// Notes a retriable failure: the open transaction is doomed, the redo sends again.
    mutating func failed() {
        doomsOpenTransaction = true
    }

    /// Notes `output` refused for good: the open transaction is doomed and its event is
    /// dead-lettered on the redo. Returns false when the event's dead letter was refused in its
    /// smallest form: nothing can take the event.
    mutating func refused(_ output: RejectedOutput, deadLetterTopic: String) -> Bool {
        doomsOpenTransaction = true
        let key = InputOffset(input: output.input, offset: output.offset)
        let refusesDeadLetter = output.topic == deadLetterTopic
        if refusesDeadLetter, lastResorts.contains(key) { return false }
        refused[key] = Refusal(output: output, refusesDeadLetter: refusesDeadLetter)
        return true
    }

    /// The open transaction was aborted.
    mutating func aborted() {
        doomsOpenTransaction = false
    }

    /// The refusal that makes the event at `offset` of `input` a dead letter, forgotten as it
    /// is taken; `nil` for every other event.
    mutating func take(_ input: InputPartition, offset: Int64) -> Refusal? {
        let key = InputOffset(input: input, offset: offset)
        guard let refusal = refused.removeValue(forKey: key) else { return nil }
        if refusal.refusesDeadLetter { lastResorts.insert(key) }
        return refusal
    }
}
