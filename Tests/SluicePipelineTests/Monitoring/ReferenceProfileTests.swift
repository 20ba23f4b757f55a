import Foundation
import SluicePipeline
import Testing

/// Reference profiles: quantile bins that hold what they say, and files that round-trip.
@Suite struct ReferenceProfileTests {
    @Test func quantileBinsHoldTheFractionsOfTheValuesInThem() {
        let values = (0 ..< 1_000).map { Float($0 % 250) } + [.nan, .nan]
        let column = ColumnProfile(name: "x", values: values)
        #expect(column.count == 1_002 && column.missing == 2)
        #expect(column.minimum == 0 && column.maximum == 249)
        #expect(column.edges.count == ColumnProfile.binCount - 1)
        #expect(abs(column.fractions.reduce(0, +) - 1) < 1e-12)
        for (bin, fraction) in column.fractions.enumerated() {
            let inBin = values.filter { !$0.isNaN && column.bin(of: Double($0)) == bin }.count
            #expect(Double(inBin) / 1_000 == fraction)
        }
    }

    @Test func aColumnWithFewDistinctValuesGetsABinPerValue() {
        let column = ColumnProfile(name: "flag", values: (0 ..< 100).map { Float($0 % 3) })
        #expect(column.edges == [0, 1])
        #expect(column.fractions == [0.34, 0.33, 0.33])
        #expect(column.isOutOfRange(3) && column.isOutOfRange(-1) && !column.isOutOfRange(2))
    }

    @Test func aProfileFileRoundTrips() throws {
        let profile = ReferenceProfile(
            model: .init(name: "fraud", version: "3", sha256: String(repeating: "ab", count: 32)), rows: 7,
            features: [ColumnProfile(name: "amount", values: [1.5, 2.25, .nan, 1e-7, 3e30, -4, 0])],
            outputs: [ColumnProfile(name: "probabilities[1]", values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])]
        )
        let read = try ReferenceProfile(jsonData: profile.jsonData())
        #expect(read == profile)
        #expect(try read.jsonData() == profile.jsonData())
    }

    @Test func aProfileOfAnotherFormatIsRefused() throws {
        var json = String(decoding: try ReferenceProfile(model: .init(name: "m", version: nil, sha256: "0"), rows: 0, features: [], outputs: []).jsonData(), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : 2")
        #expect(throws: ProfileError.self) { try ReferenceProfile(jsonData: Data(json.utf8)) }
    }

    @Test func csvLinesBecomeTheEventsTheStreamWouldCarry() throws {
        let events = try CSVEvents(headerLine: "amount,card.age_days,merchant")
        #expect(try events.event(line: "12.5,,\"Acme, \"\"Inc\"\"\"") == #"{"amount":12.5,"merchant":"Acme, \"Inc\""}"#)
        #expect(try events.event(line: "1e3,42,x\r") == #"{"amount":1e3,"card":{"age_days":42},"merchant":"x"}"#)
        #expect(throws: ProfileError.self) { try events.event(line: "1,2") }
    }
}
