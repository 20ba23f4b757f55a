import Prometheus
import SluiceObservability
import SluicePipeline
import Testing

/// Drift reports become Prometheus series: statistics as gauges per feature and output, totals as
/// counters that grow by each window's increase.
@Suite struct DriftMetricsTests {
    static func column(_ name: String, psi: Double, missingTotal: Int, outOfRangeTotal: Int, drifted: Bool) -> DriftReport.Column {
        DriftReport.Column(
            name: name, stabilityIndex: psi, kolmogorovSmirnov: 0.25, kolmogorovSmirnovCritical: 0.06, missingRate: 0.5,
            referenceMissingRate: 0.125, outOfRange: 2, missingTotal: missingTotal, outOfRangeTotal: outOfRangeTotal,
            occupiedBins: 1, referenceOccupiedBins: 2, drifted: drifted
        )
    }

    static func report(events: Int, psi: Double, missingTotal: Int, outOfRangeTotal: Int) -> DriftReport {
        DriftReport(
            model: .init(name: "m", version: nil, sha256: "00"), events: events, window: 10,
            features: [column("amount", psi: psi, missingTotal: missingTotal, outOfRangeTotal: outOfRangeTotal, drifted: psi > 0.2)],
            outputs: [column("label", psi: 0.5, missingTotal: 0, outOfRangeTotal: 1, drifted: true)]
        )
    }

    /// The names of the series a drift report sets: exported only when `monitoring:` is configured.
    static func emittedNames() -> Set<String> {
        let metrics = SluiceMetrics(configuration: SluiceConfiguration(), kafkaStatisticsInterval: nil, logger: silentLogger)
        metrics.processorReportedDrift(report(events: 10, psi: 0.5, missingTotal: 3, outOfRangeTotal: 4), previous: nil)
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        return Set(
            String(decoding: buffer, as: UTF8.self).split(separator: "\n")
                .filter { !$0.hasPrefix("#") }
                .compactMap { $0.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init) }
        )
    }

    @Test func everyDriftSeriesTheDashboardQueriesIsOneAReportSets() throws {
        let emitted = Self.emittedNames()
        let driftPrefixes = ["sluice_feature_", "sluice_prediction_", "sluice_drift_"]
        let queried = try dashboardMetricNames().filter { name in driftPrefixes.contains { name.hasPrefix($0) } }
        #expect(!queried.isEmpty, "the dashboard has a drift row")
        #expect(queried.subtracting(emitted).isEmpty, "queried but never set: \(queried.subtracting(emitted).sorted())")
    }

    @Test func aReportSetsTheDriftSeriesAndTotalsGrowByTheirIncrease() {
        let metrics = SluiceMetrics(configuration: SluiceConfiguration(), kafkaStatisticsInterval: nil, logger: silentLogger)
        let first = Self.report(events: 10, psi: 0.5, missingTotal: 3, outOfRangeTotal: 4)
        metrics.processorReportedDrift(first, previous: nil)
        metrics.processorReportedDrift(Self.report(events: 20, psi: 0.125, missingTotal: 5, outOfRangeTotal: 4), previous: first)
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        let lines = Set(String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init))
        for expected in [
            #"sluice_feature_drift_psi{feature="amount"} 0.125"#,
            #"sluice_feature_drifted{feature="amount"} 0.0"#,
            #"sluice_feature_missing_rate{feature="amount"} 0.5"#,
            #"sluice_feature_reference_missing_rate{feature="amount"} 0.125"#,
            #"sluice_feature_missing_values_total{feature="amount"} 5"#,
            #"sluice_feature_out_of_range_values_total{feature="amount"} 4"#,
            #"sluice_prediction_drift_psi{output="label"} 0.5"#,
            #"sluice_prediction_drifted{output="label"} 1.0"#,
            #"sluice_prediction_occupied_bins{output="label"} 1.0"#,
            #"sluice_prediction_reference_occupied_bins{output="label"} 2.0"#,
            #"sluice_prediction_out_of_range_values_total{output="label"} 1"#,
            "sluice_drift_reports_total 2",
        ] {
            #expect(lines.contains(expected), "\(expected) in \(lines.filter { $0.contains("drift") || $0.contains("feature") }.sorted())")
        }
    }
}
