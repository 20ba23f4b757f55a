import Foundation

/// This process's resident memory, for showing that back-pressure keeps it flat.
enum ResidentMemory {
    /// The resident set now, in bytes (`/proc/self/statm`); `nil` where there is no procfs.
    static var current: Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The largest resident set so far, in bytes (`getrusage`'s `ru_maxrss`, kilobytes on Linux).
    static var peak: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// Resident memory samples taken at a fixed period, with the time each was taken.
struct MemorySamples: Sendable {
    var samples: [(seconds: Double, bytes: Int)] = []

    var maximum: Int { samples.map(\.bytes).max() ?? 0 }

    /// The largest sample in each of `parts` equal stretches of the run: flat memory shows as
    /// equal values.
    func maxima(inParts parts: Int) -> [Int] {
        guard let last = samples.last?.seconds, last > 0 else { return [] }
        return (0..<parts).map { part in
            let range = (last * Double(part) / Double(parts))...(last * Double(part + 1) / Double(parts))
            return samples.filter { range.contains($0.seconds) }.map(\.bytes).max() ?? 0
        }
    }
}
