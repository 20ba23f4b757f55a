import Foundation

/// The consumer moved a partition's position because the broker no longer had the offset it
/// asked for: usually retention deleted events before they were read, and the events between
/// ``requestedOffset`` and ``resetOffset`` will never be consumed.
///
/// librdkafka reports this only as a log line (unless `auto.offset.reset` is `error`), which
/// ``init(logLine:)`` parses.
public struct KafkaOffsetReset: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The offset the consumer asked for, when librdkafka named one.
    public var requestedOffset: Int64?
    /// Where the consumer continues, when librdkafka named an offset rather than `END`.
    public var resetOffset: Int64?
    /// librdkafka's reason, e.g. "fetch failed due to requested offset not available on the broker".
    public var reason: String

    public init(topic: String, partition: Int32, requestedOffset: Int64?, resetOffset: Int64?, reason: String) {
        self.topic = topic
        self.partition = partition
        self.requestedOffset = requestedOffset
        self.resetOffset = resetOffset
        self.reason = reason
    }

    /// Events skipped, when both offsets are known and the reset moved forward.
    public var skippedEvents: Int64? {
        guard let requestedOffset, let resetOffset, requestedOffset >= 0, resetOffset > requestedOffset else { return nil }
        return resetOffset - requestedOffset
    }

    public var description: String {
        let from = requestedOffset.map(String.init) ?? "?"
        let to = resetOffset.map(String.init) ?? "?"
        return "\(topic) [\(partition)]: offset reset from \(from) to \(to): \(reason)"
    }

    /// Parses librdkafka 2.0's OFFSET log line, e.g. `[thrd:main]: events [3]: offset reset (at offset 99654,
    /// broker 1) to cached BEGINNING offset 103712: fetch failed due to …: Broker: Offset out of
    /// range`; `nil` for any other line.
    public init?(logLine: String) {
        guard let marker = logLine.range(of: ": offset reset (at ") else { return nil }
        // After librdkafka's `[thrd:…]: ` prefix, if any: topic names cannot contain ": ".
        var head = logLine[..<marker.lowerBound]
        while let prefixEnd = head.range(of: ": ") { head = head[prefixEnd.upperBound...] }
        guard let open = head.lastIndex(of: "["), head.hasSuffix("]"),
            let partition = Int32(head[head.index(after: open)..<head.index(before: head.endIndex)])
        else { return nil }
        let tail = logLine[marker.upperBound...]
        guard let close = tail.range(of: ") to ") else { return nil }
        let at = tail[..<close.lowerBound]
        let rest = tail[close.upperBound...]
        let target = rest.range(of: ": ").map { rest[..<$0.lowerBound] } ?? rest
        let reason = rest.range(of: ": ").map { String(rest[$0.upperBound...]) } ?? ""
        self.init(
            topic: String(head[..<open].dropLast()),
            partition: partition,
            requestedOffset: Self.offset(after: "offset ", in: at),
            resetOffset: Self.offset(after: "offset ", in: target),
            reason: reason
        )
    }

    private static func offset(after label: String, in text: Substring) -> Int64? {
        guard let range = text.range(of: label) else { return nil }
        let digits = text[range.upperBound...].prefix { $0 == "-" || $0.isNumber }
        return Int64(digits)
    }
}
