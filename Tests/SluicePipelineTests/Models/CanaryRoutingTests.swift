import Testing
@testable import SluicePipeline

/// Which events the canary scores: FNV-1a of the key, a share within tolerance of the percent,
/// the same model for the same key every time.
@Suite struct CanaryRoutingTests {
    @Test func theHashIsSixtyFourBitFNV1a() {
        // The published FNV-1a test vectors.
        #expect(hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test(arguments: [1.0, 5.0, 12.34, 50.0, 90.0])
    func theCanaryShareOfManyKeysIsWithinToleranceOfThePercent(percent: Double) {
        let routing = CanaryRouting(percent: percent)
        let keys = 100_000
        let canary = (0..<keys).count { routes(routing, "card-\($0)") }
        // Binomial: the standard deviation is at most 0.16 % of 100,000 keys; allow four of them.
        #expect(abs(Double(canary) / Double(keys) * 100 - percent) < 0.64, "\(canary) of \(keys) keys")
    }

    @Test func noneAndAllAreExact() {
        #expect((0..<10_000).allSatisfy { !routes(CanaryRouting(percent: 0), "key-\($0)") })
        #expect((0..<10_000).allSatisfy { routes(CanaryRouting(percent: 100), "key-\($0)") })
    }

    @Test func aKeyMeetsTheSameModelEveryTimeAndAKeylessEventByItsCoordinates() {
        let first = CanaryRouting(percent: 30)
        let second = CanaryRouting(percent: 30)
        let keys = (0..<1000).map { "customer-\($0 * 7919)" }
        let answers = keys.map { routes(first, $0) }
        #expect(keys.map { routes(first, $0) } == answers)
        #expect(keys.map { routes(second, $0) } == answers)
        #expect(answers.contains(true) && answers.contains(false))
        let keyless = (0..<1000).map { first.routesToCanary(topic: "events", partition: Int32($0 % 3), offset: Int64($0)) }
        #expect((0..<1000).map { second.routesToCanary(topic: "events", partition: Int32($0 % 3), offset: Int64($0)) } == keyless)
        #expect(keyless.contains(true) && keyless.contains(false), "keyless events spread over both models")
    }

    private func hash(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { CanaryRouting.fnv1a($0) }
    }

    private func routes(_ routing: CanaryRouting, _ key: String) -> Bool {
        Array(key.utf8).withUnsafeBytes { routing.routesToCanary(key: $0) }
    }
}
