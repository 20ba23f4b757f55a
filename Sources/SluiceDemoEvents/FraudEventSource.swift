/// ``FraudEventGenerator``'s events, one after another: made as they are asked for, or made
/// before a run and only copied out while it lasts.
///
/// A paced benchmark uses the second: its producer shares the cores with the processor it
/// measures, and making an event costs about as much CPU as sending it (logarithms, cosines,
/// number formatting), which an upstream producer would spend on its own machine.
struct FraudEventSource {
    private var generator: FraudEventGenerator
    private var event: [UInt8] = []
    private var key: [UInt8] = []
    /// Made up front: every event's value, then key, back to back, and where each ends.
    private var made: [UInt8] = []
    private var madeEnds: [(value: Int, key: Int)] = []
    private var nextMade = 0

    /// A source whose first `madeUpFront` events are made now, the rest when asked for.
    init(seed: UInt64, madeUpFront count: Int = 0) {
        generator = FraudEventGenerator(seed: seed)
        made.reserveCapacity(count * 300)
        madeEnds.reserveCapacity(count)
        for _ in 0..<count {
            _ = generator.next(event: &event, key: &key)
            made.append(contentsOf: event)
            let valueEnd = made.count
            made.append(contentsOf: key)
            madeEnds.append((valueEnd, made.count))
        }
    }

    /// Malformed events among those made so far.
    var malformedCount: Int { generator.malformedCount }

    /// Lends the next event's key and value to `body`.
    mutating func withNext<R>(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard nextMade < madeEnds.count else {
            _ = generator.next(event: &event, key: &key)
            return try key.withUnsafeBytes { key in try event.withUnsafeBytes { value in try body(key, value) } }
        }
        let start = nextMade == 0 ? 0 : madeEnds[nextMade - 1].key
        let ends = madeEnds[nextMade]
        nextMade += 1
        return try made.withUnsafeBytes { made in
            try body(UnsafeRawBufferPointer(rebasing: made[ends.value..<ends.key]), UnsafeRawBufferPointer(rebasing: made[start..<ends.value]))
        }
    }
}
