import SluiceVectorMath

// The GEMM paths for a single row and for a single output column, beside the row-block tiles.

/// One row times every panel, four panels at a time so that four independent accumulators hide
/// the latency of the multiply-adds. Each output is summed exactly as a tile sums it (one fused
/// multiply-add per `p`, ascending, then the bias), so a row scored alone matches it in a batch bit for bit.
@inline(__always)
func multiplyVector<Activation: VectorActivation>(
    k: Int,
    n: Int,
    a: UnsafePointer<Float>,
    panels: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?,
    activation: Activation,
    output: UnsafeMutablePointer<Float>
) {
    let panelCount = (n + panelWidth - 1) / panelWidth
    let panelStride = k * panelWidth
    var panel = 0
    while panel < panelCount {
        let group = min(4, panelCount - panel)
        var c0 = SIMD8<Float>(), c1 = c0, c2 = c0, c3 = c0
        // Panels past the group repeat the first one; their sums are discarded.
        let p0 = UnsafeRawPointer(panels + panel * panelStride)
        let p1 = group > 1 ? UnsafeRawPointer(panels + (panel + 1) * panelStride) : p0
        let p2 = group > 2 ? UnsafeRawPointer(panels + (panel + 2) * panelStride) : p0
        let p3 = group > 3 ? UnsafeRawPointer(panels + (panel + 3) * panelStride) : p0
        for p in 0..<k {
            let s = SIMD8<Float>(repeating: a[p])
            c0 = c0.addingProduct(s, p0.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self))
            c1 = c1.addingProduct(s, p1.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self))
            c2 = c2.addingProduct(s, p2.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self))
            c3 = c3.addingProduct(s, p3.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self))
        }
        func finish(_ sum: SIMD8<Float>, _ offset: Int) {
            let firstColumn = (panel + offset) * panelWidth
            let width = min(panelWidth, n - firstColumn)
            store(activation(sum + load(bias.map { $0 + firstColumn }, width)), output + firstColumn, width)
        }
        finish(c0, 0)
        if group > 1 { finish(c1, 1) }
        if group > 2 { finish(c2, 2) }
        if group > 3 { finish(c3, 3) }
        panel += group
    }
}

/// A product with a single output column (a regression or binary head): one dot product per row,
/// eight features at a time, instead of a tile whose eight columns would be seven-eighths padding.
@inline(__always)
func multiplyByColumn<Activation: VectorActivation>(
    rows: Int,
    k: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panel: UnsafePointer<Float>,
    bias: Float,
    activation: Activation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int
) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { column in
        guard let w = column.baseAddress else { return }
        for p in 0..<k { w[p] = panel[p * panelWidth] }
        var row = 0
        while row < rows {
            let count = min(panelWidth, rows - row)
            var sums = SIMD8<Float>()
            for lane in 0..<count {
                let x = a + (row + lane) * lda
                var accumulator = SIMD8<Float>()
                var p = 0
                while p + panelWidth <= k {
                    accumulator = accumulator.addingProduct(loadVector(x + p), loadVector(w + p))
                    p += panelWidth
                }
                var sum = accumulator.sum()
                while p < k {
                    sum = sum.addingProduct(x[p], w[p])
                    p += 1
                }
                sums[lane] = sum
            }
            let values = activation(sums + bias)
            for lane in 0..<count { output[(row + lane) * ldc] = values[lane] }
            row += count
        }
    }
}
