/// The scalar reference for ``gemm(m:a:lda:b:bias:activation:output:ldc:kernel:)``: a plain triple loop,
/// accumulating in `Double`, over an unpacked row-major `K×N` matrix.
///
/// `output[i, j] = activation(Σₖ a[i, k] · b[k, j] + bias[j])`.
public func gemmReference(
    m: Int,
    n: Int,
    k: Int,
    a: UnsafeBufferPointer<Float>,
    lda: Int,
    b: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>?,
    activation: FusedActivation,
    output: UnsafeMutableBufferPointer<Float>,
    ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum = Double(bias?[j] ?? 0)
            for p in 0..<k {
                sum += Double(a[i * lda + p]) * Double(b[p * n + j])
            }
            output[i * ldc + j] = activation.apply(Float(sum))
        }
    }
}
