extension DeadLetterBuilder {
    /// How much of the input record a letter keeps, from all of it to the least.
    enum Form: Int, CaseIterable {
        case whole
        case withoutInputHeaders
        case withoutInputHeadersOrKey

        var previous: Form { Form(rawValue: max(0, rawValue - 1))! }
    }

    /// What one dead letter is made of, as the builder shortens it.
    struct Letter {
        var reason: DeadLetterReason
        let topic: Int
        let partition: Int32
        let offset: Int64
        let key: UnsafeRawBufferPointer?
        let payloadLength: Int
        var inputHeaderCount = 0
        var digest: SHA256Hash?
        var form = Form.whole
        var isPayloadCut = false
        var isMessageCut = false

        init(reason: DeadLetterReason, topic: Int, partition: Int32, offset: Int64, key: UnsafeRawBufferPointer?, payloadLength: Int) {
            self.reason = reason
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.key = key
            self.payloadLength = payloadLength
        }

        var keptKey: UnsafeRawBufferPointer? { form == .withoutInputHeadersOrKey ? nil : key }

        /// What `form` leaves out of this record: only what the record has.
        func reductions(_ form: Form) -> DeadLetter.Reductions {
            var reductions: DeadLetter.Reductions = []
            if form != .whole && inputHeaderCount > 0 { reductions.insert(.inputHeadersDropped) }
            if form == .withoutInputHeadersOrKey && key != nil { reductions.insert(.keyDropped) }
            return reductions
        }

        /// Whether `form` leaves out more of this record than the form before it.
        func isWorthTrying(_ form: Form) -> Bool {
            form == .whole || reductions(form) != reductions(form.previous)
        }
    }
}
