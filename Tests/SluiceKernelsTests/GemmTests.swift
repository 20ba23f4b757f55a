import Testing
import SluiceKernels

@Test func packedGemmMultipliesAKnownMatrix() {
    let b = PackedMatrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6])
    let a: [Float] = [1, 1, 2, -1]
    var output = [Float](repeating: .nan, count: 6)
    a.withUnsafeBufferPointer { a in
        output.withUnsafeMutableBufferPointer { output in
            gemm(m: 2, a: a.baseAddress!, lda: 2, b: b, bias: nil, activation: .none, output: output.baseAddress!, ldc: 3)
        }
    }
    #expect(output == [5, 7, 9, -2, -1, 0])
}

@Test(arguments: [(1, 1, 1), (1, 19, 37), (1, 1024, 33), (3, 7, 9), (5, 64, 17), (7, 3, 8), (13, 70, 33), (64, 20, 16), (97, 129, 31), (200, 20, 64), (37, 24, 1), (9, 5, 1)])
func packedGemmMatchesTheReference(shape: (m: Int, k: Int, n: Int)) {
    var random = SeededRandom(seed: UInt64(shape.m * 10_000 + shape.k * 100 + shape.n))
    let a = random.floats(shape.m * shape.k)
    let b = random.floats(shape.k * shape.n)
    let bias = random.floats(shape.n)
    let packed = PackedMatrix(rows: shape.k, columns: shape.n, rowMajor: b)
    let activations: [FusedActivation] = [.none, .relu, .leakyRelu(alpha: 0.1), .sigmoid, .tanh, .geluExact]
    for (kernel, activation) in KernelVariant.available.flatMap({ kernel in activations.map { (kernel, $0) } }) {
        var fast = [Float](repeating: .nan, count: shape.m * shape.n)
        var expected = fast
        a.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { bias in
                fast.withUnsafeMutableBufferPointer { output in
                    gemm(
                        m: shape.m, a: a.baseAddress!, lda: shape.k, b: packed, bias: bias.baseAddress,
                        activation: activation, output: output.baseAddress!, ldc: shape.n, kernel: kernel
                    )
                }
                b.withUnsafeBufferPointer { b in
                    expected.withUnsafeMutableBufferPointer { output in
                        gemmReference(m: shape.m, n: shape.n, k: shape.k, a: a, lda: shape.k, b: b, bias: bias, activation: activation, output: output, ldc: shape.n)
                    }
                }
            }
        }
        #expect(isClose(fast, expected, tolerance: 1e-5 * Float(shape.k).squareRoot()), "\(kernel) \(activation)")
    }
}

@Test func packingATransposedMatrixEqualsPackingItsTranspose() {
    // B stored as 3×2 (N×K) and read transposed must pack like the 2×3 matrix it represents.
    let stored: [Float] = [1, 4, 2, 5, 3, 6]
    let transposed = stored.withUnsafeBufferPointer {
        PackedMatrix(rows: 2, columns: 3, rowStride: 1, columnStride: 2, $0)
    }
    #expect(transposed.panels == PackedMatrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6]).panels)
}
