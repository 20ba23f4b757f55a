import Foundation
import SluiceKernels
import SluicePipeline
import SluiceRandom
import Testing

/// The drift monitor against a profile of a known distribution: quiet on the same distribution,
/// naming a shifted feature within a bounded number of events, counting missing and
/// out-of-range values exactly.
@Suite struct DriftMonitorTests {
    /// Three features: a normal amount, a uniform ratio and a category code in 0…3.
    struct Population {
        var random: SplitMix64
        var shift: Float = 0

        mutating func row() -> [Float] {
            let u1 = max(random.uniform(), 1e-12), u2 = random.uniform()
            let normal = Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
            return [100 + 15 * normal + shift, Float(random.uniform()), Float(Int(random.uniform() * 4))]
        }

        mutating func rows(_ count: Int) -> [Float] { (0 ..< count).flatMap { _ in row() } }
    }

    static let names = ["amount", "ratio", "category"]

    /// The profile of 20,000 rows of the population, with one output column: the amount's double.
    static func profile() -> ReferenceProfile {
        var population = Population(random: SplitMix64(seed: 1))
        let rows = population.rows(20_000)
        let features = names.indices.map { column in
            ColumnProfile(name: names[column], values: stride(from: column, to: rows.count, by: 3).map { rows[$0] })
        }
        let output = ColumnProfile(name: "score", values: stride(from: 0, to: rows.count, by: 3).map { rows[$0] * 2 })
        return ReferenceProfile(model: .init(name: "m", version: nil, sha256: "00"), rows: 20_000, features: features, outputs: [output])
    }

    /// Feeds `rows` in batches of 64, with the output column computed as the profile's was, and
    /// returns the report after each full window.
    static func feed(_ monitor: DriftMonitor, _ rows: [Float]) -> [DriftReport] {
        var reports: [DriftReport] = []
        var start = 0
        while start < rows.count / 3 {
            let count = min(64, rows.count / 3 - start)
            let batch = Array(rows[start * 3 ..< (start + count) * 3])
            let scores = Tensor(shape: [count, 1], floats: stride(from: 0, to: batch.count, by: 3).map { batch[$0] * 2 })
            let before = monitor.events
            batch.withUnsafeBufferPointer { monitor.observe(features: $0, width: 3, rows: count, outputs: [scores]) }
            if before / monitor.windowSize != monitor.events / monitor.windowSize { reports.append(monitor.report()) }
            start += count
        }
        return reports
    }

    @Test func aStreamFromTheReferenceDistributionStaysUnderEveryThreshold() {
        let monitor = DriftMonitor(profile: Self.profile(), windowSize: 1_000)
        var population = Population(random: SplitMix64(seed: 2))
        let reports = Self.feed(monitor, population.rows(20_000))
        #expect(reports.count == 20)
        for report in reports {
            #expect(report.drifted.isEmpty, "window ending at event \(report.events): \(report.drifted)")
            for column in report.features + report.outputs {
                #expect(column.stabilityIndex < 0.1, "\(column.name) at \(report.events): PSI \(column.stabilityIndex)")
                #expect(column.kolmogorovSmirnov < column.kolmogorovSmirnovCritical, "\(column.name) at \(report.events)")
            }
        }
    }

    @Test func aShiftedFeatureCrossesTheThresholdWithinOneWindowAndIsNamed() throws {
        let monitor = DriftMonitor(profile: Self.profile(), windowSize: 1_000)
        var population = Population(random: SplitMix64(seed: 3))
        #expect(Self.feed(monitor, population.rows(2_000)).allSatisfy { $0.drifted.isEmpty })
        // One standard deviation.
        population.shift = 15
        let reports = Self.feed(monitor, population.rows(1_000))
        let last = try #require(reports.last)
        #expect(last.events == 3_000)
        // The amount and the output computed from it drift; the other features do not.
        #expect(last.drifted == ["amount", "score"])
        #expect(last.features[0].stabilityIndex > 0.2)
    }

    @Test func missingAndOutOfRangeValuesAreCountedExactly() {
        let profile = Self.profile()
        let monitor = DriftMonitor(profile: profile, windowSize: 10)
        let maximum = Float(profile.features[0].maximum!), minimum = Float(profile.features[1].minimum!)
        // 25 rows: amount missing in rows 0, 5, 10, 15, 20; above its range in rows 3, 13, 23; ratio
        // below its range in row 24.
        var rows: [Float] = []
        for row in 0 ..< 25 {
            let amount: Float = row % 5 == 0 ? .nan : (row % 10 == 3 ? maximum + 1 : 100)
            rows += [amount, row == 24 ? minimum - 1 : 0.5, 1]
        }
        let scores = Tensor(shape: [25, 1], floats: [Float](repeating: 200, count: 25))
        rows.withUnsafeBufferPointer { monitor.observe(features: $0, width: 3, rows: 25, outputs: [scores]) }
        let report = monitor.report()
        #expect(report.events == 25 && report.window == 10)
        #expect(report.features.map(\.missingTotal) == [5, 0, 0])
        #expect(report.features.map(\.outOfRangeTotal) == [3, 1, 0])
        // The window holds rows 15…24: two missing amounts, one out of range, and the low ratio.
        #expect(report.features[0].missingRate == 0.2)
        #expect(report.features.map(\.outOfRange) == [1, 1, 0])
        #expect(report.outputs.map(\.outOfRangeTotal) == [0])
    }

    @Test func driftRecordsCarryTheReportUnderStableFieldNames() throws {
        let monitor = DriftMonitor(profile: Self.profile(), windowSize: 10)
        var population = Population(random: SplitMix64(seed: 4))
        _ = Self.feed(monitor, population.rows(10))
        let record = DriftRecord(report: monitor.report(), processor: "test", timestampMilliseconds: 1)
        let json = try #require(try JSONSerialization.jsonObject(with: record.jsonData()) as? [String: Any])
        #expect(json["record"] as? String == "drift")
        let report = try #require(json["report"] as? [String: Any])
        let amount = try #require((report["features"] as? [[String: Any]])?.first)
        #expect(Set(amount.keys) == [
            "name", "psi", "ks", "ks_critical", "missing_rate", "reference_missing_rate", "out_of_range", "missing_total",
            "out_of_range_total", "occupied_bins", "reference_occupied_bins", "drifted",
        ])
        #expect(try JSONDecoder().decode(DriftRecord.self, from: record.jsonData()) == record)
    }
}
