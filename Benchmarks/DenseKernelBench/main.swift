import Foundation
import SluiceKernels

// Kernel micro-benchmark: GEMM throughput in GFLOP/s for tabular-MLP shapes, against the scalar
// reference in the same run, and the element-wise kernels' throughput against theirs.
// Run: swift run -c release sluice-dense-kernel-bench

func medianSeconds(repetitions: Int, _ body: () -> Void) -> Double {
    body()
    var samples: [Double] = []
    for _ in 0..<repetitions {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return samples.sorted()[samples.count / 2]
}

/// Repeats `body` enough times that one sample takes about a millisecond.
func perCall(_ body: () -> Void) -> Double {
    var calls = 1
    while medianSeconds(repetitions: 1, { for _ in 0..<calls { body() } }) < 1e-3 && calls < 1 << 20 { calls *= 2 }
    return medianSeconds(repetitions: 15) { for _ in 0..<calls { body() } } / Double(calls)
}

func floats(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1) } }

print("GEMM  y = relu(x·W + b), W packed once; each kernel variant this CPU runs, then the scalar reference")
print("   M     K     N   " + KernelVariant.available.map { String(describing: $0).padding(toLength: 9, withPad: " ", startingAt: 0) + "GFLOP/s" }.joined(separator: "   ")
    + "   reference GFLOP/s   speed-up")
for (m, k, n) in [(1, 20, 64), (1, 256, 256), (1, 1024, 1024), (64, 20, 64), (64, 64, 64), (64, 256, 256), (1024, 20, 64), (1024, 64, 32), (1024, 256, 256), (1024, 1024, 1024)] {
    let a = floats(m * k), b = floats(k * n), bias = floats(n)
    let packed = PackedMatrix(rows: k, columns: n, rowMajor: b)
    var output = [Float](repeating: 0, count: m * n)
    let flops = 2.0 * Double(m * k * n)
    let variants = KernelVariant.available.map { kernel in
        a.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { bias in
                output.withUnsafeMutableBufferPointer { y in
                    perCall {
                        gemm(m: m, a: a.baseAddress!, lda: k, b: packed, bias: bias.baseAddress, activation: .relu, output: y.baseAddress!, ldc: n, kernel: kernel)
                    }
                }
            }
        }
    }
    let fast = variants.min()!
    let referenceRuns = m * k * n > 50_000_000 ? 3 : 7
    let reference = a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            bias.withUnsafeBufferPointer { bias in
                output.withUnsafeMutableBufferPointer { y in
                    medianSeconds(repetitions: referenceRuns) {
                        gemmReference(m: m, n: n, k: k, a: a, lda: k, b: b, bias: bias, activation: .relu, output: y, ldc: n)
                    }
                }
            }
        }
    }
    let rates = variants.map { String(format: "%16.2f", flops / $0 / 1e9) }.joined(separator: "   ")
    print(String(format: "%4d  %4d  %4d   ", m, k, n) + rates + String(format: "   %17.2f   %7.1f×", flops / reference / 1e9, reference / fast))
}

print("\nElement-wise over 64×256 floats: fast kernel vs scalar reference (ns per element)")
let input = floats(64 * 256)
var output = [Float](repeating: 0, count: input.count)
for (name, function) in [("relu", UnaryFunction.relu), ("sigmoid", .sigmoid), ("tanh", .tanh), ("exp", .exp), ("gelu", .geluExact)] {
    let fast = input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { y in perCall { function.apply(x, into: y) } } }
    let reference = perCall { for index in input.indices { output[index] = function.apply(input[index]) } }
    print(String(format: "%-8@ %6.3f  vs %6.3f   %5.1f×", name as NSString, fast * 1e9 / Double(input.count), reference * 1e9 / Double(input.count), reference / fast))
}
let softmaxFast = input.withUnsafeBufferPointer { x in
    output.withUnsafeMutableBufferPointer { y in perCall { softmax(x.baseAddress!, y.baseAddress!, outer: 1024, axis: 16, inner: 1, logarithmic: false) } }
}
let softmaxSlow = perCall { _ = softmaxReference(input, outer: 1024, axis: 16, inner: 1, logarithmic: false) }
print(String(format: "softmax  %6.3f  vs %6.3f   %5.1f×  (1024 rows of 16)", softmaxFast * 1e9 / Double(input.count), softmaxSlow * 1e9 / Double(input.count), softmaxSlow / softmaxFast))
