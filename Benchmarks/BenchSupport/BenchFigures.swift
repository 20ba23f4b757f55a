import Foundation

/// Arithmetic and formatting shared by the benchmarks' reports.
public enum BenchFigures {
    /// Microseconds as milliseconds with one decimal, `-` for none.
    public static func milliseconds(_ microseconds: Int64?) -> String {
        microseconds.map { String(format: "%.1f ms", Double($0) / 1000) } ?? "-"
    }

    /// The 1, 5 and 15-minute load averages: wall-clock rates mean little when other processes
    /// compete for the cores.
    public static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The middle value, or the mean of the middle two; NaN for none.
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Bytes in MiB.
    public static func megabytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

    /// `object` as one line of JSON with sorted keys.
    public static func jsonLine(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
