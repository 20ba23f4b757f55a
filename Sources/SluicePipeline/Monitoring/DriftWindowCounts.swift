/// ``DriftMonitor``'s counts over its window, in buffers of its own: per column the bin counts of
/// the window, its missing and out-of-range counts and their totals since the start, and the code
/// of every column's value for each event in the window (so that an event leaving the window can be
/// taken out of the counts). A value costs a binary search over its column's edges and a few
/// counter updates, with no array bookkeeping on the way.
final class DriftWindowCounts {
    /// An event's column value that was missing.
    static let missingCode: UInt8 = 0xFF
    /// Added to a bin's code when the value was outside the reference's range.
    static let outOfRangeFlag: UInt8 = 0x40

    let columnCount: Int
    let windowSize: Int
    /// Where each column's bins start in `binCounts`; one more entry, the total, at the end.
    let firstBin: UnsafeMutableBufferPointer<Int>
    /// Every column's bin edges, column after column: column `c`'s start at `firstBin[c] - c`, as
    /// each column has one bin more than edges.
    let edges: UnsafeMutableBufferPointer<Double>
    /// Each column's reference range; (+∞, -∞) for a column without one, so every value is out of it.
    let minimums: UnsafeMutableBufferPointer<Double>
    let maximums: UnsafeMutableBufferPointer<Double>
    let binCounts: UnsafeMutableBufferPointer<Int>
    let windowMissing: UnsafeMutableBufferPointer<Int>
    let windowOutOfRange: UnsafeMutableBufferPointer<Int>
    let missingTotals: UnsafeMutableBufferPointer<Int>
    let outOfRangeTotals: UnsafeMutableBufferPointer<Int>
    /// The code of each column's value for the window's events, event after event: the bin, with
    /// ``outOfRangeFlag`` when outside the reference's range, or ``missingCode``.
    let ring: UnsafeMutableBufferPointer<UInt8>

    /// - Precondition: every column has fewer than 64 edges.
    init(columns: [ColumnProfile], windowSize: Int) {
        precondition(columns.allSatisfy { $0.edges.count < Int(Self.outOfRangeFlag) })
        columnCount = columns.count
        self.windowSize = windowSize
        let starts = columns.reduce(into: [0]) { starts, column in starts.append(starts.last! + column.edges.count + 1) }
        firstBin = Self.buffer(starts)
        edges = Self.buffer(columns.flatMap(\.edges))
        let ranges = columns.map { column in
            guard let minimum = column.minimum, let maximum = column.maximum else { return (Double.infinity, -Double.infinity) }
            return (minimum, maximum)
        }
        minimums = Self.buffer(ranges.map(\.0))
        maximums = Self.buffer(ranges.map(\.1))
        binCounts = Self.buffer([Int](repeating: 0, count: starts.last!))
        windowMissing = Self.buffer([Int](repeating: 0, count: columns.count))
        windowOutOfRange = Self.buffer([Int](repeating: 0, count: columns.count))
        missingTotals = Self.buffer([Int](repeating: 0, count: columns.count))
        outOfRangeTotals = Self.buffer([Int](repeating: 0, count: columns.count))
        ring = Self.buffer([UInt8](repeating: 0, count: windowSize * columns.count))
    }

    deinit {
        for buffer in [firstBin, binCounts, windowMissing, windowOutOfRange, missingTotals, outOfRangeTotals] { buffer.deallocate() }
        edges.deallocate()
        minimums.deallocate()
        maximums.deallocate()
        ring.deallocate()
    }

    private static func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
        _ = buffer.initialize(from: values)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<values.count])
    }

    /// Column `column`'s bin counts in the window.
    func bins(of column: Int) -> UnsafeMutableBufferPointer<Int> {
        UnsafeMutableBufferPointer(rebasing: binCounts[firstBin[column]..<firstBin[column + 1]])
    }

    /// Counts `value` (NaN for missing) of `column` for the event in window slot `slot`.
    @inline(__always)
    func record(_ value: Double, column: Int, slot: Int) {
        let code: UInt8
        if value.isNaN {
            code = Self.missingCode
            windowMissing[column] += 1
            missingTotals[column] += 1
        } else {
            let first = firstBin[column]
            let bin = Self.firstEdge(atLeast: value, in: edges.baseAddress! + (first - column), count: firstBin[column + 1] - first - 1)
            binCounts[first + bin] += 1
            if value < minimums[column] || value > maximums[column] {
                code = UInt8(bin) | Self.outOfRangeFlag
                windowOutOfRange[column] += 1
                outOfRangeTotals[column] += 1
            } else {
                code = UInt8(bin)
            }
        }
        ring[slot * columnCount + column] = code
    }

    /// The index of the first of `count` ascending edges that is at least `value` (`count` when
    /// none is): the bin `value` falls in, which is how many edges lie below it. Counted over
    /// every edge (a profile has at most ``ColumnProfile/binCount`` of them) rather than searched:
    /// values come in no order a branch predictor could follow, and the count has no branch.
    @inline(__always)
    static func firstEdge(atLeast value: Double, in edges: UnsafePointer<Double>, count: Int) -> Int {
        let values = SIMD4<Double>(repeating: value)
        // A lane's mask is -1 where the edge is below `value`: subtracting counts it.
        var below = SIMD4<Int64>()
        var index = 0
        while index + 4 <= count {
            let four = UnsafeRawPointer(edges + index).loadUnaligned(as: SIMD4<Double>.self)
            below &-= unsafeBitCast(four .< values, to: SIMD4<Int64>.self)
            index += 4
        }
        var total = Int(below.wrappedSum())
        while index < count {
            total &+= edges[index] < value ? 1 : 0
            index += 1
        }
        return total
    }

    /// Removes the event in `slot` from the window's counts (not from the totals).
    @inline(__always)
    func retire(_ slot: Int) {
        for column in 0 ..< columnCount {
            let code = ring[slot * columnCount + column]
            if code == Self.missingCode {
                windowMissing[column] -= 1
            } else {
                binCounts[firstBin[column] + Int(code & ~Self.outOfRangeFlag)] -= 1
                if code & Self.outOfRangeFlag != 0 { windowOutOfRange[column] -= 1 }
            }
        }
    }
}
