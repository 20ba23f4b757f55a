/// What one column (a feature, or one element of a model output) looked like in the reference
/// data: how often it was missing, its range, and its distribution as quantile bins.
///
/// Bin `i` holds the values in `(edges[i-1], edges[i]]`, the first bin everything up to `edges[0]`
/// and the last everything above the last edge, so every value falls in exactly one of
/// `edges.count + 1` bins whatever its range.
public struct ColumnProfile: Codable, Sendable, Hashable {
    /// The feature's path (`amount`, `card.history[3]`) or the output's name (`probabilities[1]`).
    public var name: String
    /// Rows of the reference data.
    public var count: Int
    /// Rows whose value was missing (NaN).
    public var missing: Int
    /// The smallest and largest values present; `nil` when every value was missing.
    public var minimum: Double?
    public var maximum: Double?
    /// Upper edges of the bins, ascending and distinct.
    public var edges: [Double]
    /// The fraction of the reference's present values in each bin: `edges.count + 1` entries summing to 1.
    public var fractions: [Double]
    /// The mean of the present values: the baseline of linear explanations (`audit.explain`).
    /// `nil` when every value was missing, and in profiles written before Sluice recorded it.
    public var mean: Double?

    public init(
        name: String, count: Int, missing: Int, minimum: Double?, maximum: Double?, edges: [Double], fractions: [Double], mean: Double? = nil
    ) {
        precondition(fractions.count == edges.count + 1)
        self.name = name
        self.count = count
        self.missing = missing
        self.minimum = minimum
        self.maximum = maximum
        self.edges = edges
        self.fractions = fractions
        self.mean = mean
    }

    /// The fraction of reference rows whose value was missing.
    public var missingRate: Double { count == 0 ? 0 : Double(missing) / Double(count) }

    /// The bin `value` (not NaN) falls in: the first whose upper edge is at least `value`.
    @inline(__always)
    public func bin(of value: Double) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether `value` lies outside the reference's range (every value does when the reference had none).
    @inline(__always)
    public func isOutOfRange(_ value: Double) -> Bool {
        guard let minimum, let maximum else { return true }
        return value < minimum || value > maximum
    }
}

extension ColumnProfile {
    /// Quantile bins of the reference: edges at every `1/binCount` of the present values, merged where
    /// values repeat (a category code, a flag), so a column with few distinct values gets a bin per value.
    public static let binCount = 20

    /// The profile of `values` (NaN for missing), with quantile edges.
    public init(name: String, values: [Float]) {
        let present = values.filter { !$0.isNaN }.map(Double.init).sorted()
        var edges: [Double] = []
        if !present.isEmpty {
            for step in 1 ..< Self.binCount {
                let edge = present[(step * present.count - 1) / Self.binCount]
                // The maximum is no edge: values above it must share the last bin with it, not start a new one.
                if edge < present[present.count - 1], edges.last.map({ $0 < edge }) ?? true { edges.append(edge) }
            }
        }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        let bins = ColumnProfile(
            name: name, count: values.count, missing: values.count - present.count, minimum: present.first, maximum: present.last,
            edges: edges, fractions: counts.map(Double.init),
            mean: present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        )
        for value in present { counts[bins.bin(of: value)] += 1 }
        self = bins
        fractions = counts.map { present.isEmpty ? 0 : Double($0) / Double(present.count) }
    }
}
