import SluiceKernelsAVX2

/// Rows of the output one micro-kernel call computes: six rows by one 8-wide panel keep twelve
/// SSE registers of accumulators live, which fits x86-64's sixteen without spilling.
@usableFromInline let gemmTileRows = 6
/// Rows of A kept hot while all panels pass: 16 tiles.
@usableFromInline let gemmBlockRows = 96

/// `output[i, j] = activation(Σₖ a[i, k] · b[k, j] + bias[j])` for an `m×K` row-major `a` and a
/// packed `K×N` `b`.
///
/// - Parameters:
///   - a: `m` rows of `b.rows` floats, row `i` starting at `a + i·lda`.
///   - bias: `b.columns` floats added to every row, or `nil`.
///   - output: `m` rows of `b.columns` floats, row `i` starting at `output + i·ldc`; fully overwritten.
///   - kernel: the inner loops to use; one the CPU does not run is replaced by ``KernelVariant/portable``.
public func gemm(
    m: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    b: PackedMatrix,
    bias: UnsafePointer<Float>?,
    activation: FusedActivation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int,
    kernel: KernelVariant = .fastest
) {
    let k = b.rows
    let n = b.columns
    b.panels.withUnsafeBufferPointer { panels in
        guard let panels = panels.baseAddress else {
            // No columns, or no rows: every output is the bias alone.
            for i in 0..<m {
                for j in 0..<n { output[i * ldc + j] = activation.apply(bias?[j] ?? 0) }
            }
            return
        }
        // Each variant sums every output in the same order (k ascending, then the bias) and applies the
        // same activation whatever the row count and the row's place in a tile, so that a row's outputs
        // are bit-identical alone or anywhere in any batch: audit replays depend on it.
        let useAVX2 = kernel == .avx2 && KernelVariant.fastest == .avx2
        if m == 1 && !useAVX2 {
            gemvPanels(k: k, n: n, a: a, panels: panels, bias: bias, activation: activation, output: output)
            return
        }
        // Rows are taken in blocks small enough to stay in L2 while every panel streams past them.
        for blockStart in stride(from: 0, to: m, by: gemmBlockRows) {
            let blockEnd = min(m, blockStart + gemmBlockRows)
            if useAVX2 {
                gemmRowBlockAVX2(
                    rows: blockEnd - blockStart, k: k, n: n, a: a + blockStart * lda, lda: lda, panels: panels,
                    bias: bias, activation: activation, output: output + blockStart * ldc, ldc: ldc
                )
                continue
            }
            for panel in 0..<b.panelCount {
                let panelBase = panels + panel * k * PackedMatrix.panelWidth
                let firstColumn = panel * PackedMatrix.panelWidth
                let width = min(PackedMatrix.panelWidth, n - firstColumn)
                var panelBias = SIMD8<Float>()
                if let bias {
                    for column in 0..<width { panelBias[column] = bias[firstColumn + column] }
                }
                var row = blockStart
                while row < blockEnd {
                    let rows = min(gemmTileRows, blockEnd - row)
                    microKernel(
                        rows: rows, k: k, a: a + row * lda, lda: lda, panel: panelBase, bias: panelBias,
                        activation: activation, output: output + row * ldc + firstColumn, ldc: ldc, width: width
                    )
                    row += rows
                }
            }
        }
    }
}

/// Up to six rows of `a` times one packed panel, accumulated in registers and stored once.
@inline(__always)
private func microKernel(
    rows: Int,
    k: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panel: UnsafePointer<Float>,
    bias: SIMD8<Float>,
    activation: FusedActivation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int,
    width: Int
) {
    // The bias is added after the products, as onnxruntime's GEMM does.
    var c0 = SIMD8<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
    let raw = UnsafeRawPointer(panel)
    // Rows past `rows` read row 0 again: the results are thrown away, and a branch-free loop over a
    // full tile is faster than a loop per tile height.
    let a0 = a
    let a1 = rows > 1 ? a + lda : a
    let a2 = rows > 2 ? a + 2 * lda : a
    let a3 = rows > 3 ? a + 3 * lda : a
    let a4 = rows > 4 ? a + 4 * lda : a
    let a5 = rows > 5 ? a + 5 * lda : a
    for p in 0..<k {
        let b = raw.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self)
        c0 += b * a0[p]
        c1 += b * a1[p]
        c2 += b * a2[p]
        c3 += b * a3[p]
        c4 += b * a4[p]
        c5 += b * a5[p]
    }
    store(activation.apply(c0 + bias), output, width)
    if rows > 1 { store(activation.apply(c1 + bias), output + ldc, width) }
    if rows > 2 { store(activation.apply(c2 + bias), output + 2 * ldc, width) }
    if rows > 3 { store(activation.apply(c3 + bias), output + 3 * ldc, width) }
    if rows > 4 { store(activation.apply(c4 + bias), output + 4 * ldc, width) }
    if rows > 5 { store(activation.apply(c5 + bias), output + 5 * ldc, width) }
}

/// One row times every panel, four panels at a time so that four independent accumulators hide
/// the latency of the additions (a single accumulator would serialise them).
@inline(__always)
private func gemvPanels(
    k: Int,
    n: Int,
    a: UnsafePointer<Float>,
    panels: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?,
    activation: FusedActivation,
    output: UnsafeMutablePointer<Float>
) {
    let width = PackedMatrix.panelWidth
    let panelCount = (n + width - 1) / width
    let panelStride = k * width
    var panel = 0
    while panel < panelCount {
        let group = min(4, panelCount - panel)
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
        // Panels past the group repeat the first one; their sums are discarded.
        let p0 = UnsafeRawPointer(panels + panel * panelStride)
        let p1 = group > 1 ? UnsafeRawPointer(panels + (panel + 1) * panelStride) : p0
        let p2 = group > 2 ? UnsafeRawPointer(panels + (panel + 2) * panelStride) : p0
        let p3 = group > 3 ? UnsafeRawPointer(panels + (panel + 3) * panelStride) : p0
        for p in 0..<k {
            let x = a[p]
            c0 += p0.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self) * x
            c1 += p1.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self) * x
            c2 += p2.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self) * x
            c3 += p3.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self) * x
        }
        func finish(_ sum: SIMD8<Float>, _ offset: Int) {
            let firstColumn = (panel + offset) * width
            let columns = min(width, n - firstColumn)
            var sum = sum
            if let bias {
                for column in 0..<columns { sum[column] += bias[firstColumn + column] }
            }
            store(activation.apply(sum), output + firstColumn, columns)
        }
        finish(c0, 0)
        if group > 1 { finish(c1, 1) }
        if group > 2 { finish(c2, 2) }
        if group > 3 { finish(c3, 3) }
        panel += group
    }
}

@inline(__always)
private func store(_ values: SIMD8<Float>, _ destination: UnsafeMutablePointer<Float>, _ width: Int) {
    VectorMath.store(values, to: destination, count: width)
}
