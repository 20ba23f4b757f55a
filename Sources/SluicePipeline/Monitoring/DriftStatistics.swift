import Foundation

/// The statistics that compare a window of values with a column's reference bins.
public enum DriftStatistics {
    /// The smallest share a bin is given in ``populationStabilityIndex(reference:counts:)``, so that an
    /// empty bin on either side adds a large but finite term instead of an infinite one.
    public static let smallestShare = 1e-4

    /// The population stability index `Σ (qᵢ − pᵢ) · ln(qᵢ / pᵢ)` of the window's shares `qᵢ`
    /// (`counts` over their sum) against the reference's `pᵢ`: 0 for the same distribution; by
    /// convention below 0.1 is stable, 0.1–0.2 a moderate shift, above 0.2 a significant one.
    /// 0 for an empty window.
    public static func populationStabilityIndex(reference: [Double], counts: ArraySlice<Int>) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        var index = 0.0
        for (share, count) in zip(reference, counts) {
            let p = max(share, smallestShare)
            let q = max(Double(count) / Double(total), smallestShare)
            index += (q - p) * log(q / p)
        }
        return index
    }

    /// The Kolmogorov–Smirnov statistic between the window and the reference, the largest distance
    /// between their cumulative distributions, evaluated at the reference's bin edges (so a lower
    /// bound of the exact statistic, as close as the bins are fine). 0 for an empty window.
    public static func kolmogorovSmirnov(reference: [Double], counts: ArraySlice<Int>) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        var referenceCumulative = 0.0, windowCumulative = 0, distance = 0.0
        for (share, count) in zip(reference, counts).dropLast() {
            referenceCumulative += share
            windowCumulative += count
            distance = max(distance, abs(Double(windowCumulative) / Double(total) - referenceCumulative))
        }
        return distance
    }

    /// The significance level of ``kolmogorovSmirnovCritical(windowSize:)``: low, because a window is
    /// tested again after every report and a false alarm should stay rare over a day of them.
    public static let kolmogorovSmirnovSignificance = 0.001

    /// The statistic above which a window of `windowSize` values differs from a (much larger)
    /// reference at ``kolmogorovSmirnovSignificance``: `c(α) / √n` with `c(α) = √(−ln(α/2) / 2)`.
    public static func kolmogorovSmirnovCritical(windowSize: Int) -> Double {
        guard windowSize > 0 else { return 1 }
        return (-log(kolmogorovSmirnovSignificance / 2) / 2).squareRoot() / Double(windowSize).squareRoot()
    }
}
