import SluiceKernels

/// A copy of elements from one layout to another that works the same for every element type:
/// the shape operators (`Transpose`, `Gather`, `Slice`, `Expand`, `Tile`) are rearrangements.
protocol Rearrangement {
    /// Writes every element of `output` from `input`.
    func apply<T>(_ input: UnsafeBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>)
}

/// Writes `output`, of `shape` and the input's element type, through `rearrangement`, reusing its storage.
func rearrange<R: Rearrangement>(_ input: Tensor, shape: [Int], into output: inout Tensor, _ rearrangement: R) {
    func run<T: DenseElement>(_ values: [T], filler: T) {
        output.withMutableValues(T.self, shape: shape, filler: filler) { output in
            guard output.count > 0 else { return }
            values.withUnsafeBufferPointer { rearrangement.apply($0, output) }
        }
    }
    switch input.storage {
    case .float(let values): run(values, filler: 0)
    case .double(let values): run(values, filler: 0)
    case .int64(let values): run(values, filler: 0)
    case .int32(let values): run(values, filler: 0)
    case .bool(let values): run(values, filler: false)
    case .string(let values): run(values, filler: "")
    }
}

/// Reads the input at `offset + Σ coordinate·stride` for each output coordinate of `shape`.
struct StridedRearrangement: Rearrangement {
    var shape: [Int]
    var strides: [Int]
    var offset = 0

    func apply<T>(_ input: UnsafeBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>) {
        stridedCopy(input.baseAddress! + offset, shape: shape, strides: strides, into: output.baseAddress!)
    }
}

/// Row-major strides of `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
    return strides
}

/// Every element type a pure data-movement operator accepts.
let anyElementType: Set<ElementType> = [.float, .double, .int64, .int32, .bool, .string]
