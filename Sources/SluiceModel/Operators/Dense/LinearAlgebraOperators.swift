import SluiceKernels

/// `Gemm` and `MatMul`: the products at the heart of MLPs, packed for ``gemm(m:a:lda:b:bias:activation:output:ldc:kernel:)``.
let linearAlgebraOperators: [OperatorDefinition] = [
    OperatorDefinition(opType: "Gemm", opsets: since(7), compile: compileGemm),
    OperatorDefinition(opType: "MatMul", opsets: since(1), compile: compileMatMul),
]

/// Gemm's right-hand operand: packed at load time when it is a constant, else at each run.
enum RightOperand: Sendable {
    case packed(PackedMatrix)
    /// Packed per run from input 1, with `transposed` and `scale` applied while packing.
    case computed(transposed: Bool, scale: Float)

    func matrix(_ tensor: Tensor, k: Int, n: Int) throws -> PackedMatrix {
        switch self {
        case .packed(let matrix): return matrix
        case .computed(let transposed, let scale):
            let values = try tensor.values(Float.self)
            return values.withUnsafeBufferPointer {
                PackedMatrix(
                    rows: k, columns: n, rowStride: transposed ? 1 : n, columnStride: transposed ? k : 1,
                    scale: scale, $0
                )
            }
        }
    }
}

private func compileGemm(_ context: OperatorContext) throws -> CompiledNode {
    let node = context.node
    let a = try context.floatInput(0)
    let b = try context.floatInput(1)
    let transA = try node.int("transA", default: 0) != 0
    let transB = try node.int("transB", default: 0) != 0
    let alpha = try node.float("alpha", default: 1)
    let beta = try node.float("beta", default: 1)
    guard a.rank == nil || a.rank == 2 else { throw OperatorError("input A must be a matrix, not rank \(a.rank!)") }
    guard let bShape = b.shape, bShape.count == 2 else { throw OperatorError("input B must be a matrix of known rank 2") }
    let m = a.shape.map { transA ? $0[1] : $0[0] } ?? .dynamic(nil)
    let aK = a.shape.map { transA ? $0[0] : $0[1] }
    let bK = transB ? bShape[1] : bShape[0]
    let n = transB ? bShape[0] : bShape[1]
    if case .fixed(let left) = aK, case .fixed(let right) = bK, left != right {
        throw OperatorError("A has \(left) columns but B has \(right) rows")
    }
    let right: RightOperand
    if let constant = b.constant, case .fixed(let k) = bK, case .fixed(let columns) = n {
        let values = try constant.values(Float.self)
        right = .packed(values.withUnsafeBufferPointer {
            PackedMatrix(
                rows: k, columns: columns, rowStride: transB ? 1 : columns, columnStride: transB ? k : 1,
                scale: alpha, $0
            )
        })
    } else {
        right = .computed(transposed: transB, scale: alpha)
    }
    var bias: [Float]?
    var addend: Float? = nil
    if let c = context.input(2), beta != 0 {
        _ = try context.floatInput(2)
        guard let cShape = c.shape, cShape.count <= 2 else { throw OperatorError("input C must have rank ≤ 2") }
        _ = try broadcastDimensions([[m, n], cShape])
        let isRow = cShape.count < 2 || cShape[0] == .fixed(1)
        if let constant = c.constant, isRow, case .fixed(let columns) = n {
            let values = try constant.values(Float.self)
            bias = (0..<columns).map { beta * values[values.count == 1 ? 0 : $0] }
        } else {
            addend = beta
        }
    }
    let operation = GemmOperation(right: right, transA: transA, bias: bias, addendScale: addend, activation: .none)
    return CompiledNode(operation: operation, outputs: [ValueInfo(elementType: .float, shape: [m, n])])
}

/// A compiled `Gemm`: `Y = alpha·A'·B' + beta·C`, with alpha folded into the packed B and a row
/// `C` folded into the bias.
struct GemmOperation: CompiledOperator {
    let right: RightOperand
    let transA: Bool
    /// `beta·C` as a per-column bias, when C is a constant row.
    let bias: [Float]?
    /// `beta`, when C is added after the product because it is not a constant row.
    let addendScale: Float?
    /// An activation node fused into this one (``DenseLayerFusion``); only without `addendScale`.
    var activation: FusedActivation

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        var a = inputs[0]
        if transA {
            let values = try a.values(Float.self)
            var transposed = [Float](repeating: 0, count: values.count)
            values.withUnsafeBufferPointer { source in
                transposed.withUnsafeMutableBufferPointer { target in
                    transpose(source.baseAddress!, shape: a.shape, permutation: [1, 0], into: target.baseAddress!)
                }
            }
            a = Tensor(shape: [a.shape[1], a.shape[0]], floats: transposed)
        }
        let m = a.shape[0], k = a.shape[1]
        let packed: PackedMatrix
        switch right {
        case .packed(let matrix): packed = matrix
        case .computed(let transposed, _):
            let bShape = inputs[1].shape
            guard bShape[transposed ? 1 : 0] == k else {
                throw OperatorError("A has \(k) columns but B has shape \(bShape)")
            }
            packed = try right.matrix(inputs[1], k: k, n: bShape[transposed ? 0 : 1])
        }
        guard packed.rows == k else { throw OperatorError("A has \(k) columns but B has \(packed.rows) rows") }
        let aValues = try a.values(Float.self)
        try outputs[0].withMutableFloats(shape: [m, packed.columns]) { output in
            aValues.withUnsafeBufferPointer { a in
                output.withUnsafeMutableBufferPointer { output in
                    multiply(m: m, a: a, packed: packed, bias: bias, activation: activation, output: output)
                }
            }
            if let beta = addendScale {
                let c = inputs[2]
                let cValues = try c.values(Float.self)
                let plan = try broadcastPlan([[m, packed.columns], c.shape])
                guard plan.outputShape == [m, packed.columns] else {
                    throw OperatorError("C of shape \(c.shape) does not broadcast to [\(m), \(packed.columns)]")
                }
                cValues.withUnsafeBufferPointer { c in
                    output.withUnsafeMutableBufferPointer { output in
                        let y = output.baseAddress!
                        broadcastBinary(UnsafePointer(y), c.baseAddress!, y, plan: plan) { $0 + beta * $1 }
                    }
                }
            }
        }
    }
}

/// ``gemm(m:a:lda:b:bias:activation:output:ldc:kernel:)`` over whole row-major buffers, tolerating the
/// empty buffers of zero-sized dimensions.
func multiply(
    m: Int,
    a: UnsafeBufferPointer<Float>,
    packed: PackedMatrix,
    bias: [Float]?,
    activation: FusedActivation,
    output: UnsafeMutableBufferPointer<Float>
) {
    guard m > 0, packed.columns > 0, let y = output.baseAddress else { return }
    // With K = 0 the kernel reads no element of A, so any valid pointer serves.
    var placeholder: Float = 0
    withUnsafePointer(to: &placeholder) { placeholder in
        let x = a.baseAddress ?? placeholder
        if let bias {
            bias.withUnsafeBufferPointer { bias in
                gemm(m: m, a: x, lda: packed.rows, b: packed, bias: bias.baseAddress, activation: activation, output: y, ldc: packed.columns)
            }
        } else {
            gemm(m: m, a: x, lda: packed.rows, b: packed, bias: nil, activation: activation, output: y, ldc: packed.columns)
        }
    }
}

private func compileMatMul(_ context: OperatorContext) throws -> CompiledNode {
    let a = try context.input(0, ofType: [.float, .double])
    let b = try context.input(1, ofType: [a.elementType])
    guard let aShape = a.shape, let bShape = b.shape else {
        throw OperatorError("MatMul needs inputs of known rank")
    }
    guard !aShape.isEmpty, !bShape.isEmpty else { throw OperatorError("MatMul inputs must have rank ≥ 1") }
    let aK = aShape[aShape.count - 1]
    let bK = bShape.count == 1 ? bShape[0] : bShape[bShape.count - 2]
    if case .fixed(let left) = aK, case .fixed(let right) = bK, left != right {
        throw OperatorError("A has \(left) columns but B has \(right) rows")
    }
    let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
    var outputShape = try broadcastDimensions([aBatch, bBatch])!
    if aShape.count >= 2 { outputShape.append(aShape[aShape.count - 2]) }
    if bShape.count >= 2 { outputShape.append(bShape[bShape.count - 1]) }
    let output = ValueInfo(elementType: a.elementType, shape: outputShape)
    if a.elementType == .double { return CompiledNode(operation: DoubleMatMul(), outputs: [output]) }

    if let constant = b.constant, bShape.count <= 2 {
        let k = constant.shape[0]
        let n = bShape.count == 2 ? constant.shape[1] : 1
        let packed = PackedMatrix(rows: k, columns: n, rowMajor: try constant.values(Float.self))
        return CompiledNode(
            operation: PackedMatMul(packed: packed, bIsVector: bShape.count == 1, bias: nil, activation: .none),
            outputs: [output]
        )
    }
    return CompiledNode(operation: BatchedMatMul(), outputs: [output])
}

/// `MatMul` by a constant matrix packed at load time: every leading dimension of A is a row.
///
/// ``DenseLayerFusion`` folds a following bias `Add` and activation into it, making it a whole
/// dense layer in one pass over the output.
struct PackedMatMul: CompiledOperator {
    let packed: PackedMatrix
    let bIsVector: Bool
    /// One float per column added to every row.
    var bias: [Float]?
    var activation: FusedActivation

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let a = inputs[0]
        guard a.shape.last == packed.rows else {
            throw OperatorError("A of shape \(a.shape) does not have \(packed.rows) columns")
        }
        let rows = a.shape.dropLast().reduce(1, *)
        var shape = Array(a.shape.dropLast())
        if !bIsVector { shape.append(packed.columns) }
        let values = try a.values(Float.self)
        outputs[0].withMutableFloats(shape: shape) { output in
            values.withUnsafeBufferPointer { a in
                output.withUnsafeMutableBufferPointer { output in
                    multiply(m: rows, a: a, packed: packed, bias: bias, activation: activation, output: output)
                }
            }
        }
    }
}

/// `MatMul` of two computed operands with numpy's batch broadcasting; B is packed per matrix.
struct BatchedMatMul: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let aShape = inputs[0].shape.count == 1 ? [1] + inputs[0].shape : inputs[0].shape
        let bShape = inputs[1].shape.count == 1 ? inputs[1].shape + [1] : inputs[1].shape
        let m = aShape[aShape.count - 2], k = aShape[aShape.count - 1]
        let n = bShape[bShape.count - 1]
        guard bShape[bShape.count - 2] == k else {
            throw OperatorError("A of shape \(inputs[0].shape) and B of shape \(inputs[1].shape) do not multiply")
        }
        let plan = try broadcastPlan([Array(aShape.dropLast(2)), Array(bShape.dropLast(2))])
        var shape = plan.outputShape
        if inputs[0].shape.count > 1 { shape.append(m) }
        if inputs[1].shape.count > 1 { shape.append(n) }
        let aValues = try inputs[0].values(Float.self), bValues = try inputs[1].values(Float.self)
        outputs[0].withMutableFloats(shape: shape) { output in
            aValues.withUnsafeBufferPointer { a in
                bValues.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { output in
                        plan.forEachRun { offsets, count, strides in
                            for index in 0..<count {
                                let aStart = (offsets[0] + index * strides[0]) * m * k
                                let bStart = (offsets[1] + index * strides[1]) * k * n
                                let yStart = (offsets[2] + index) * m * n
                                let packed = PackedMatrix(
                                    rows: k, columns: n, rowStride: n, columnStride: 1,
                                    UnsafeBufferPointer(rebasing: b[bStart..<(bStart + k * n)])
                                )
                                multiply(
                                    m: m, a: UnsafeBufferPointer(rebasing: a[aStart..<(aStart + m * k)]),
                                    packed: packed, bias: nil, activation: .none,
                                    output: UnsafeMutableBufferPointer(rebasing: output[yStart..<(yStart + m * n)])
                                )
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `MatMul` of doubles, which only generated test graphs use: a plain loop with numpy's batch broadcasting.
struct DoubleMatMul: CompiledOperator {
    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let aShape = inputs[0].shape.count == 1 ? [1] + inputs[0].shape : inputs[0].shape
        let bShape = inputs[1].shape.count == 1 ? inputs[1].shape + [1] : inputs[1].shape
        let m = aShape[aShape.count - 2], k = aShape[aShape.count - 1], n = bShape[bShape.count - 1]
        guard bShape[bShape.count - 2] == k else {
            throw OperatorError("A of shape \(inputs[0].shape) and B of shape \(inputs[1].shape) do not multiply")
        }
        let plan = try broadcastPlan([Array(aShape.dropLast(2)), Array(bShape.dropLast(2))])
        var shape = plan.outputShape
        if inputs[0].shape.count > 1 { shape.append(m) }
        if inputs[1].shape.count > 1 { shape.append(n) }
        let a = try inputs[0].values(Double.self), b = try inputs[1].values(Double.self)
        outputs[0].withMutableValues(Double.self, shape: shape, filler: 0) { output in
            plan.forEachRun { offsets, count, strides in
                for index in 0..<count {
                    let aStart = (offsets[0] + index * strides[0]) * m * k
                    let bStart = (offsets[1] + index * strides[1]) * k * n
                    let yStart = (offsets[2] + index) * m * n
                    for row in 0..<m {
                        for column in 0..<n {
                            var sum = 0.0
                            for p in 0..<k { sum += a[aStart + row * k + p] * b[bStart + p * n + column] }
                            output[yStart + row * n + column] = sum
                        }
                    }
                }
            }
        }
    }
}
