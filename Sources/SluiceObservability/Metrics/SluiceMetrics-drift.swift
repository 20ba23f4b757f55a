import CoreMetrics
import SluicePipeline

extension SluiceMetrics {
    /// Sets the drift series from a window's report; totals grow by their increase since `previous`.
    /// The series are made once, on the first report: making one looks it up in the registry (a
    /// lock and the labels' strings), which at a report every few milliseconds cost more than the
    /// monitoring itself.
    public func processorReportedDrift(_ report: DriftReport, previous: DriftReport?) {
        driftSeries.withLock { series in
            if series == nil || !series!.fits(report) { series = DriftSeries(report, factory: factory) }
            series!.record(report, previous: previous)
        }
    }
}

/// The drift series of a profile's columns: per feature and per output column, its gauges and
/// counters, in the report's column order.
struct DriftSeries: Sendable {
    private typealias Name = DriftMetricName

    private struct Column {
        let stability: Gauge
        let kolmogorovSmirnov: Gauge
        let drifted: Gauge
        /// Features: missing rate and the reference's; outputs: occupied bins and the reference's.
        let rate: Gauge
        let referenceRate: Gauge
        /// Features only: missing values since the start.
        let missing: Counter?
        let outOfRange: Counter

        /// Sets the series from `column`, with `rate` and `referenceRate` as this kind of column
        /// counts them; totals grow by their increase since `previous`.
        func record(_ column: DriftReport.Column, previous: DriftReport.Column?, rate: Double, referenceRate: Double) {
            stability.record(column.stabilityIndex)
            kolmogorovSmirnov.record(column.kolmogorovSmirnov)
            drifted.record(column.drifted ? 1.0 : 0.0)
            self.rate.record(rate)
            self.referenceRate.record(referenceRate)
            missing?.increment(by: column.missingTotal - (previous?.missingTotal ?? 0))
            outOfRange.increment(by: column.outOfRangeTotal - (previous?.outOfRangeTotal ?? 0))
        }
    }

    private let reports: Counter
    private let kolmogorovSmirnovCritical: Gauge
    private let features: [Column]
    private let outputs: [Column]
    private let names: [String]

    init(_ report: DriftReport, factory: any MetricsFactory) {
        func gauge(_ name: String, _ labels: [(String, String)]) -> Gauge { Gauge(label: name, dimensions: labels, factory: factory) }
        func counter(_ name: String, _ labels: [(String, String)]) -> Counter { Counter(label: name, dimensions: labels, factory: factory) }
        reports = counter(Name.reports, [])
        kolmogorovSmirnovCritical = gauge(Name.kolmogorovSmirnovCritical, [])
        features = report.features.map { column in
            let labels = [("feature", column.name)]
            return Column(
                stability: gauge(Name.featureStability, labels), kolmogorovSmirnov: gauge(Name.featureKolmogorovSmirnov, labels),
                drifted: gauge(Name.featureDrifted, labels), rate: gauge(Name.featureMissingRate, labels),
                referenceRate: gauge(Name.featureReferenceMissingRate, labels), missing: counter(Name.featureMissing, labels),
                outOfRange: counter(Name.featureOutOfRange, labels)
            )
        }
        outputs = report.outputs.map { column in
            let labels = [("output", column.name)]
            return Column(
                stability: gauge(Name.predictionStability, labels), kolmogorovSmirnov: gauge(Name.predictionKolmogorovSmirnov, labels),
                drifted: gauge(Name.predictionDrifted, labels), rate: gauge(Name.predictionOccupiedBins, labels),
                referenceRate: gauge(Name.predictionReferenceOccupiedBins, labels), missing: nil,
                outOfRange: counter(Name.predictionOutOfRange, labels)
            )
        }
        names = (report.features + report.outputs).map(\.name)
    }

    /// Whether `report` has the columns these series were made for.
    func fits(_ report: DriftReport) -> Bool {
        names.elementsEqual((report.features + report.outputs).lazy.map(\.name))
    }

    func record(_ report: DriftReport, previous: DriftReport?) {
        reports.increment()
        kolmogorovSmirnovCritical.record(report.features.first?.kolmogorovSmirnovCritical ?? 0)
        for (index, column) in report.features.enumerated() {
            features[index].record(
                column, previous: previous?.features[index], rate: column.missingRate, referenceRate: column.referenceMissingRate
            )
        }
        for (index, column) in report.outputs.enumerated() {
            outputs[index].record(
                column, previous: previous?.outputs[index], rate: Double(column.occupiedBins), referenceRate: Double(column.referenceOccupiedBins)
            )
        }
    }
}
