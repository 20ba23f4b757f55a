import CoreMetrics
import SluicePipeline

extension SluiceMetrics {
    /// Sets the drift series from a window's report; totals grow by their increase since `previous`.
    /// Called once per window, so looking the series up in the factory each time costs nothing that matters.
    public func processorReportedDrift(_ report: DriftReport, previous: DriftReport?) {
        typealias Name = DriftMetricName
        counter(Name.reports, []).increment()
        gauge(Name.kolmogorovSmirnovCritical, []).record(report.features.first?.kolmogorovSmirnovCritical ?? 0)
        for (index, column) in report.features.enumerated() {
            let labels = [("feature", column.name)]
            let before = previous?.features[index]
            gauge(Name.featureStability, labels).record(column.stabilityIndex)
            gauge(Name.featureKolmogorovSmirnov, labels).record(column.kolmogorovSmirnov)
            gauge(Name.featureDrifted, labels).record(column.drifted ? 1.0 : 0.0)
            gauge(Name.featureMissingRate, labels).record(column.missingRate)
            gauge(Name.featureReferenceMissingRate, labels).record(column.referenceMissingRate)
            counter(Name.featureMissing, labels).increment(by: column.missingTotal - (before?.missingTotal ?? 0))
            counter(Name.featureOutOfRange, labels).increment(by: column.outOfRangeTotal - (before?.outOfRangeTotal ?? 0))
        }
        for (index, column) in report.outputs.enumerated() {
            let labels = [("output", column.name)]
            let before = previous?.outputs[index]
            gauge(Name.predictionStability, labels).record(column.stabilityIndex)
            gauge(Name.predictionKolmogorovSmirnov, labels).record(column.kolmogorovSmirnov)
            gauge(Name.predictionDrifted, labels).record(column.drifted ? 1.0 : 0.0)
            gauge(Name.predictionOccupiedBins, labels).record(Double(column.occupiedBins))
            gauge(Name.predictionReferenceOccupiedBins, labels).record(Double(column.referenceOccupiedBins))
            counter(Name.predictionOutOfRange, labels).increment(by: column.outOfRangeTotal - (before?.outOfRangeTotal ?? 0))
        }
    }

    private func gauge(_ name: String, _ labels: [(String, String)]) -> Gauge { Gauge(label: name, dimensions: labels, factory: factory) }

    private func counter(_ name: String, _ labels: [(String, String)]) -> Counter { Counter(label: name, dimensions: labels, factory: factory) }
}
