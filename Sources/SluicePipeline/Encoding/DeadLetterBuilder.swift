import SluiceKafka

/// Assembles the dead letter of an input record in storage reused from letter to letter, in a
/// form that always fits the dead-letter topic.
///
/// A dead letter is the input record (key, value, headers) with Sluice's headers in front:
/// `sluice-error-class`, `sluice-error-message`, `sluice-source-topic`, `sluice-source-partition`
/// and `sluice-source-offset`, in that order. Input headers with a reserved name (`sluice-…` in
/// any case) are renamed `original-…` (see ``RecordHeaders``), so the first header of each of
/// Sluice's names is always Sluice's.
///
/// When the record would exceed `maxMessageBytes` (counted by
/// ``KafkaRecordSize/bytes(key:value:headers:)``), it gives up, in this order, until it fits:
/// 1. the payload's tail: the value keeps as many of the payload's first bytes as fit (possibly
///    none), and `sluice-payload-sha256` (the whole payload's SHA-256, lower-case hex),
///    `sluice-payload-bytes` (its length) and `sluice-payload-truncated: true` follow the source
///    headers;
/// 2. all the input's headers: `sluice-input-headers-dropped` gives their number;
/// 3. the key: `sluice-key-dropped: true`;
/// 4. the end of `sluice-error-message`, which then ends with "…".
/// After steps 2 and 3 the payload is kept whole if it now fits. Step 4 always fits when
/// `maxMessageBytes` is at least ``minimumMaxMessageBytes`` and topic names are at most Kafka's
/// 249 bytes: Sluice's headers then take at most 717 bytes besides the message.
public struct DeadLetterBuilder {
    /// The smallest `maxMessageBytes` accepted: librdkafka's own minimum for `message.max.bytes`.
    public static let minimumMaxMessageBytes = 1000

    /// The largest record the dead-letter topic takes: the smaller of the producer's
    /// `message.max.bytes` and the topic's `max.message.bytes`.
    public let maxMessageBytes: Int
    private var sourceHeaders: DeadLetterHeaders
    private var headers = RecordHeaders()
    private var text = JSONBuffer(capacity: 64)

    /// `inputTopics`: the configured input topics, which dead letters name by index.
    public init(inputTopics: [String], maxMessageBytes: Int) {
        precondition(maxMessageBytes >= Self.minimumMaxMessageBytes, "maxMessageBytes below \(Self.minimumMaxMessageBytes)")
        sourceHeaders = DeadLetterHeaders(inputTopics: inputTopics)
        self.maxMessageBytes = maxMessageBytes
    }

    /// Lends `body` the dead letter of the input record `key`, `value`, `headers`, read from
    /// `partition` at `offset` of input topic `topic` (an index), dead-lettered for `reason`.
    public mutating func withDeadLetter<R>(
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        headers input: some InputHeaders,
        reason: DeadLetterReason,
        topic: Int,
        partition: Int32,
        offset: Int64,
        _ body: (DeadLetter) throws -> R
    ) rethrows -> R {
        var letter = Letter(reason: reason, topic: topic, partition: partition, offset: offset, key: key, payloadLength: value.count)
        assemble(letter, input: input)
        if fits(letter, value: value.count) { return try lend(letter, value: value, body) }
        letter.inputHeaderCount = headers.inputCount
        letter.digest = SHA256Hash(of: value)
        for form in Form.allCases where letter.isWorthTrying(form) {
            letter.form = form
            if form != .whole {
                letter.isPayloadCut = false
                assemble(letter, input: input)
                if fits(letter, value: value.count) { return try lend(letter, value: value, body) }
            }
            letter.isPayloadCut = true
            assemble(letter, input: input)
            if let cut = cut(value, for: letter) { return try lend(letter, value: cut, body) }
        }
        letter.form = .withoutInputHeadersOrKey
        letter.reason.message = ""
        assemble(letter, input: input)
        // The message's length prefix may grow from one byte to a few.
        let room = maxMessageBytes - size(of: letter, value: 0) - (KafkaRecordSize.varintSize(maxMessageBytes) - 1)
        letter.reason.message = Self.prefix(of: reason.message, bytes: room)
        letter.isMessageCut = true
        assemble(letter, input: input)
        return try lend(letter, value: cut(value, for: letter) ?? UnsafeRawBufferPointer(rebasing: value.prefix(0)), body)
    }

    /// Lends `body` the dead letter of `message`, read from input topic `topic` (an index).
    public mutating func withDeadLetter<R>(
        of message: KafkaMessage,
        topic: Int,
        reason: DeadLetterReason,
        _ body: (DeadLetter) throws -> R
    ) rethrows -> R {
        try withDeadLetter(
            key: message.key, value: message.value, headers: message, reason: reason,
            topic: topic, partition: message.partition, offset: message.offset, body
        )
    }

    /// Writes the letter's headers: Sluice's, then the input's when the form keeps them.
    private mutating func assemble(_ letter: Letter, input: some InputHeaders) {
        headers.removeAll()
        sourceHeaders.forEach(reason: letter.reason, topic: letter.topic, partition: letter.partition, offset: letter.offset) {
            headers.appendOwn($0, $1)
        }
        if letter.isPayloadCut, let digest = letter.digest {
            text.reset()
            text.appendHex(digest)
            appendOwn(RecordHeaderName.payloadSHA256)
            text.reset()
            text.append(letter.payloadLength)
            appendOwn(RecordHeaderName.payloadBytes)
            appendOwn(RecordHeaderName.payloadTruncated, "true")
        }
        let reductions = letter.reductions(letter.form)
        if reductions.contains(.inputHeadersDropped) {
            text.reset()
            text.append(letter.inputHeaderCount)
            appendOwn(RecordHeaderName.inputHeadersDropped)
        }
        if reductions.contains(.keyDropped) { appendOwn(RecordHeaderName.keyDropped, "true") }
        if letter.form == .whole { headers.appendInput(input) }
    }

    /// Appends `name` with ``text`` as its value.
    private mutating func appendOwn(_ name: String) {
        text.withBytes { headers.appendOwn(name, $0) }
    }

    private mutating func appendOwn(_ name: String, _ value: StaticString) {
        headers.appendOwn(name, UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    private func size(of letter: Letter, value: Int) -> Int {
        KafkaRecordSize.bytes(key: letter.keptKey?.count ?? 0, value: value, headers: headers.serializedBytes)
    }

    private func fits(_ letter: Letter, value: Int) -> Bool {
        size(of: letter, value: value) <= maxMessageBytes
    }

    /// The payload's first bytes that fit beside the letter's headers, or `nil` when none do.
    private func cut(_ value: UnsafeRawBufferPointer, for letter: Letter) -> UnsafeRawBufferPointer? {
        let room = maxMessageBytes - size(of: letter, value: 0)
        return room >= 0 ? UnsafeRawBufferPointer(rebasing: value.prefix(room)) : nil
    }

    /// `message`'s first `bytes` bytes, cut at a character boundary and ending with "…".
    static func prefix(of message: String, bytes: Int) -> String {
        let utf8 = Array(message.utf8)
        guard utf8.count > bytes else { return message }
        var end = max(0, bytes - 3)
        // Back off continuation bytes (0b10xxxxxx) so as not to split a character.
        while end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: utf8[..<end], as: UTF8.self) + "…"
    }

    private mutating func lend<R>(_ letter: Letter, value: UnsafeRawBufferPointer, _ body: (DeadLetter) throws -> R) rethrows -> R {
        var reductions = letter.reductions(letter.form)
        if letter.isPayloadCut { reductions.insert(.payloadTruncated) }
        if letter.isMessageCut { reductions.insert(.messageTruncated) }
        let size = size(of: letter, value: value.count)
        let key = letter.keptKey
        return try headers.withKafkaHeaders { headers in
            try body(DeadLetter(key: key, value: value, headers: headers, reductions: reductions, size: size))
        }
    }
}
