import SluiceKernels

/// Watches the rows a model scores and its outputs against a ``ReferenceProfile``, over a sliding
/// window of the last `windowSize` events: per column the population stability index and the
/// Kolmogorov–Smirnov statistic of the window against the reference bins, the window's missing
/// rate and out-of-range count, and exact totals of missing and out-of-range values since the start.
///
/// Observing costs a bin lookup and a few counter updates per value: the window keeps each event's
/// bin per column, so that the statistics come from bin counts and a report costs `O(bins)` per
/// column whatever the window's size. Not thread-safe: one processor loop owns it.
public final class DriftMonitor {
    public let profile: ReferenceProfile
    public let windowSize: Int
    /// The population stability index above which a column counts as drifted.
    public let stabilityThreshold: Double

    private let columns: [ColumnProfile]
    private let counts: DriftWindowCounts
    private var nextSlot = 0
    private var filledSlots = 0
    /// Events observed since the start.
    public private(set) var events = 0

    /// - Precondition: `windowSize > 0`; every column has fewer than 64 bins (profiles have ``ColumnProfile/binCount``).
    public init(profile: ReferenceProfile, windowSize: Int, stabilityThreshold: Double = 0.2) {
        precondition(windowSize > 0)
        self.profile = profile
        self.windowSize = windowSize
        self.stabilityThreshold = stabilityThreshold
        columns = profile.features + profile.outputs
        counts = DriftWindowCounts(columns: columns, windowSize: windowSize)
    }

    /// Takes in a scored batch: `rows` rows of `width` features, row after row, and the model's outputs for them.
    public func observe(features: UnsafeBufferPointer<Float>, width: Int, rows: Int, outputs: [Tensor]) {
        let featureColumns = min(width, profile.features.count)
        var start = 0
        // A batch larger than the window passes through it in window-sized pieces, so that no
        // event's slot is reused within one piece.
        while start < rows {
            let count = min(windowSize, rows - start)
            let slot0 = nextSlot
            for row in 0 ..< count {
                let slot = (slot0 + row) % windowSize
                if filledSlots == windowSize || slot < filledSlots { counts.retire(slot) }
                let values = features.baseAddress! + (start + row) * width
                for column in 0 ..< featureColumns { counts.record(Double(values[column]), column: column, slot: slot) }
            }
            let outputColumns = profile.outputs.count
            OutputColumns.forEachValue(of: outputs, rows: rows) { column, row, value in
                guard column < outputColumns, row >= start, row < start + count else { return }
                counts.record(value, column: profile.features.count + column, slot: (slot0 + row - start) % windowSize)
            }
            nextSlot = (slot0 + count) % windowSize
            filledSlots = min(windowSize, filledSlots + count)
            events += count
            start += count
        }
    }

    /// The statistics of the window as it stands. Columns count as drifted only once the window is
    /// full, so that the first events after a start cannot raise an alarm on their own.
    public func report() -> DriftReport {
        let ksCritical = DriftStatistics.kolmogorovSmirnovCritical(windowSize: filledSlots)
        let judged = filledSlots == windowSize
        let reports = columns.indices.map { index -> DriftReport.Column in
            let column = columns[index]
            let counts = Array(self.counts.bins(of: index))[...]
            let stability = DriftStatistics.populationStabilityIndex(reference: column.fractions, counts: counts)
            let ks = DriftStatistics.kolmogorovSmirnov(reference: column.fractions, counts: counts)
            return DriftReport.Column(
                name: column.name, stabilityIndex: stability, kolmogorovSmirnov: ks, kolmogorovSmirnovCritical: ksCritical,
                missingRate: filledSlots == 0 ? 0 : Double(self.counts.windowMissing[index]) / Double(filledSlots),
                referenceMissingRate: column.missingRate, outOfRange: self.counts.windowOutOfRange[index],
                missingTotal: self.counts.missingTotals[index], outOfRangeTotal: self.counts.outOfRangeTotals[index],
                occupiedBins: counts.count { $0 > 0 }, referenceOccupiedBins: column.fractions.count { $0 > 0 },
                drifted: judged && (stability > stabilityThreshold || ks > ksCritical)
            )
        }
        return DriftReport(
            model: profile.model, events: events, window: filledSlots,
            features: Array(reports.prefix(profile.features.count)), outputs: Array(reports.dropFirst(profile.features.count))
        )
    }
}
