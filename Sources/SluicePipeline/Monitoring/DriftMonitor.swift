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
    /// Where each column's bin counts start in `binCounts`.
    private let firstBin: [Int]
    private var binCounts: [Int]
    private var windowMissing: [Int]
    private var windowOutOfRange: [Int]
    private var missingTotals: [Int]
    private var outOfRangeTotals: [Int]
    /// The code of each column's value for the last `windowSize` events, event after event: the
    /// bin, with ``outOfRangeFlag`` when outside the reference's range, or ``missingCode``.
    private var ring: [UInt8]
    private var nextSlot = 0
    private var filledSlots = 0
    /// Events observed since the start.
    public private(set) var events = 0

    private static let missingCode: UInt8 = 0xFF
    private static let outOfRangeFlag: UInt8 = 0x40

    /// - Precondition: `windowSize > 0`; every column has fewer than 64 bins (profiles have ``ColumnProfile/binCount``).
    public init(profile: ReferenceProfile, windowSize: Int, stabilityThreshold: Double = 0.2) {
        precondition(windowSize > 0)
        self.profile = profile
        self.windowSize = windowSize
        self.stabilityThreshold = stabilityThreshold
        columns = profile.features + profile.outputs
        precondition(columns.allSatisfy { $0.edges.count < Int(Self.outOfRangeFlag) })
        var firstBin: [Int] = []
        var bins = 0
        for column in columns {
            firstBin.append(bins)
            bins += column.edges.count + 1
        }
        self.firstBin = firstBin
        binCounts = [Int](repeating: 0, count: bins)
        windowMissing = [Int](repeating: 0, count: columns.count)
        windowOutOfRange = windowMissing
        missingTotals = windowMissing
        outOfRangeTotals = windowMissing
        ring = [UInt8](repeating: 0, count: windowSize * columns.count)
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
                if filledSlots == windowSize || slot < filledSlots { retire(slot) }
                let values = features.baseAddress! + (start + row) * width
                for column in 0 ..< featureColumns { record(Double(values[column]), column: column, slot: slot) }
            }
            let outputColumns = profile.outputs.count
            OutputColumns.forEachValue(of: outputs, rows: rows) { column, row, value in
                guard column < outputColumns, row >= start, row < start + count else { return }
                record(value, column: profile.features.count + column, slot: (slot0 + row - start) % windowSize)
            }
            nextSlot = (slot0 + count) % windowSize
            filledSlots = min(windowSize, filledSlots + count)
            events += count
            start += count
        }
    }

    @inline(__always)
    private func record(_ value: Double, column: Int, slot: Int) {
        let code: UInt8
        if value.isNaN {
            code = Self.missingCode
            windowMissing[column] += 1
            missingTotals[column] += 1
        } else {
            let bin = columns[column].bin(of: value)
            binCounts[firstBin[column] + bin] += 1
            if columns[column].isOutOfRange(value) {
                code = UInt8(bin) | Self.outOfRangeFlag
                windowOutOfRange[column] += 1
                outOfRangeTotals[column] += 1
            } else {
                code = UInt8(bin)
            }
        }
        ring[slot * columns.count + column] = code
    }

    /// Removes the event in `slot` from the window's counts (not from the totals).
    @inline(__always)
    private func retire(_ slot: Int) {
        for column in columns.indices {
            let code = ring[slot * columns.count + column]
            if code == Self.missingCode {
                windowMissing[column] -= 1
            } else {
                binCounts[firstBin[column] + Int(code & ~Self.outOfRangeFlag)] -= 1
                if code & Self.outOfRangeFlag != 0 { windowOutOfRange[column] -= 1 }
            }
        }
    }

    /// The statistics of the window as it stands. Columns count as drifted only once the window is
    /// full, so that the first events after a start cannot raise an alarm on their own.
    public func report() -> DriftReport {
        let ksCritical = DriftStatistics.kolmogorovSmirnovCritical(windowSize: filledSlots)
        let judged = filledSlots == windowSize
        let reports = columns.indices.map { index -> DriftReport.Column in
            let column = columns[index]
            let counts = binCounts[firstBin[index] ..< firstBin[index] + column.fractions.count]
            let stability = DriftStatistics.populationStabilityIndex(reference: column.fractions, counts: counts)
            let ks = DriftStatistics.kolmogorovSmirnov(reference: column.fractions, counts: counts)
            return DriftReport.Column(
                name: column.name, stabilityIndex: stability, kolmogorovSmirnov: ks, kolmogorovSmirnovCritical: ksCritical,
                missingRate: filledSlots == 0 ? 0 : Double(windowMissing[index]) / Double(filledSlots),
                referenceMissingRate: column.missingRate, outOfRange: windowOutOfRange[index],
                missingTotal: missingTotals[index], outOfRangeTotal: outOfRangeTotals[index],
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
