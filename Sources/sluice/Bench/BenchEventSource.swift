/// The benchmark input's events, one after another: made by ``FraudEventGenerator`` as they are
/// sent, or made before the run and only copied out while it lasts.
///
/// A paced run uses the second: its producer shares the two cores with the processor it
/// measures, and making an event costs about as much CPU as sending it (logarithms, cosines,
/// number formatting), which an upstream producer would spend on its own machine.
struct BenchEventSource {
    private var generator = FraudEventGenerator(seed: 2026)
    private var event: [UInt8] = []
    private var key: [UInt8] = []
    /// Made up front: every event's value, then key, back to back, and where each ends.
    private var made: [UInt8] = []
    private var madeEnds: [(value: Int, key: Int)] = []
    private var nextMade = 0

    /// A source that makes each event when it is asked for.
    init() {}

    /// A source whose first `count` events are made now.
    init(madeUpFront count: Int) {
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
