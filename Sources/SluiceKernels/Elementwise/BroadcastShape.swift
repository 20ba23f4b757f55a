/// NumPy broadcasting of shapes, as ONNX's multidirectional broadcasting defines it: shapes are
/// aligned at their last dimension, and each dimension pair must be equal or contain a 1.
public enum BroadcastShape {
    /// The broadcast shape of `shapes`, or `nil` when two of them disagree in a dimension.
    public static func of(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            let offset = rank - shape.count
            for (index, size) in shape.enumerated() {
                let current = result[offset + index]
                if current == size || size == 1 { continue }
                if current == 1 { result[offset + index] = size } else { return nil }
            }
        }
        return result
    }
}

/// How to walk `inputs.count` broadcast operands in lockstep with their output: the output shape
/// with adjacent dimensions merged wherever every operand is contiguous (or repeated) across them,
/// and each operand's stride in each merged dimension (0 where it repeats).
///
/// Merging makes the common cases one flat loop: equal shapes become a single dimension, and a
/// `[N]` bias on an `[M, N]` matrix becomes `M` rows of a contiguous inner loop.
public struct BroadcastPlan: Sendable, Equatable {
    public let outputShape: [Int]
    public let outputCount: Int
    /// The merged dimensions, outermost first; never empty.
    public let dimensions: [Int]
    /// Per operand, its stride in each merged dimension.
    public let strides: [[Int]]

    /// Plans broadcasting `shapes` together, or returns `nil` when they do not broadcast.
    public init?(_ shapes: [[Int]]) {
        guard let output = BroadcastShape.of(shapes) else { return nil }
        let rank = output.count
        let fullStrides: [[Int]] = shapes.map { shape in
            var strides = [Int](repeating: 0, count: rank)
            var step = 1
            for index in stride(from: shape.count - 1, through: 0, by: -1) {
                let size = shape[index]
                strides[rank - shape.count + index] = size == 1 ? 0 : step
                step *= size
            }
            return strides
        }
        var dimensions: [Int] = []
        var strides: [[Int]] = Array(repeating: [], count: shapes.count)
        for axis in 0..<rank where output[axis] != 1 {
            if let last = dimensions.last,
                fullStrides.indices.allSatisfy({ operand in
                    let inner = fullStrides[operand][axis]
                    let outer = strides[operand].last!
                    return outer == inner * output[axis]
                })
            {
                dimensions[dimensions.count - 1] = last * output[axis]
                for operand in strides.indices {
                    strides[operand][strides[operand].count - 1] = fullStrides[operand][axis]
                }
            } else {
                dimensions.append(output[axis])
                for operand in strides.indices { strides[operand].append(fullStrides[operand][axis]) }
            }
        }
        if dimensions.isEmpty {
            dimensions = [1]
            strides = strides.map { _ in [0] }
        }
        self.outputShape = output
        self.outputCount = output.reduce(1, *)
        self.dimensions = dimensions
        self.strides = strides
    }

    /// Calls `body(offsets, count, innerStrides)` once per run of the innermost merged dimension,
    /// with each operand's element offset at the start of the run and the output offset last.
    @inlinable
    public func forEachRun(_ body: (_ offsets: UnsafeBufferPointer<Int>, _ count: Int, _ innerStrides: UnsafeBufferPointer<Int>) -> Void) {
        let operands = strides.count
        let inner = dimensions.count - 1
        let innerCount = dimensions[inner]
        guard outputCount > 0 else { return }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: operands + 1) { offsets in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: operands) { innerStrides in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: max(inner, 1)) { counters in
                    for operand in 0..<operands {
                        offsets[operand] = 0
                        innerStrides[operand] = strides[operand][inner]
                    }
                    offsets[operands] = 0
                    for axis in 0..<inner { counters[axis] = 0 }
                    let runs = outputCount / innerCount
                    for _ in 0..<runs {
                        body(UnsafeBufferPointer(offsets), innerCount, UnsafeBufferPointer(innerStrides))
                        offsets[operands] += innerCount
                        // Advance the odometer over the outer dimensions.
                        var axis = inner - 1
                        while axis >= 0 {
                            counters[axis] += 1
                            for operand in 0..<operands { offsets[operand] += strides[operand][axis] }
                            if counters[axis] < dimensions[axis] { break }
                            for operand in 0..<operands { offsets[operand] -= strides[operand][axis] * dimensions[axis] }
                            counters[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
    }
}
