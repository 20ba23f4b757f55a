import SluiceVectorMath

/// The GEMM inner loops and activations compiled for Haswell (x86-64-v3: AVX2 and FMA), which
/// Package.swift enables for this module alone so that the rest of Sluice still runs on any x86-64.
///
/// Only call these after checking the CPU (SluiceKernels' `KernelVariant.fastest` does, once): on a
/// CPU without AVX2 they stop the process with an illegal instruction. Nothing here is
/// `@inlinable`, so this code is never compiled for a caller's baseline CPU; the `@inlinable`
/// vector math it uses is compiled here, for this module's CPU.

/// Rows of the output one tile computes: six rows by two 8-wide panels keep twelve 256-bit
/// accumulators live, leaving four of AVX2's sixteen registers for the panel loads and the broadcast.
let tileRows = 6
/// Columns of one packed panel, as `PackedMatrix` lays them out.
let panelWidth = 8

/// `output[i, j] = activation(Σₚ a[i, p] · b[p, j] + bias[j])` for `rows` rows of `a` and every
/// column of a matrix packed in 8-wide panels (`PackedMatrix`'s layout), using fused multiply-adds.
///
/// - Parameters:
///   - panels: `⌈n/8⌉` panels of `k·8` floats each, the last padded with zero columns.
///   - bias: `n` floats, or `nil` for none.
///   - output: `rows` rows of `n` floats, row `i` at `output + i·ldc`; fully overwritten.
@inline(never)
public func gemmRowBlockAVX2(
    rows: Int,
    k: Int,
    n: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panels: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?,
    activation: FusedActivation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int
) {
    activation.specialise(RowBlock(rows: rows, k: k, n: n, a: a, lda: lda, panels: panels, bias: bias, output: output, ldc: ldc))
}

/// ``gemmRowBlockAVX2(rows:k:n:a:lda:panels:bias:activation:output:ldc:)``'s arguments, waiting
/// for its activation as a type.
private struct RowBlock: ActivationSpecialised {
    var rows: Int
    var k: Int
    var n: Int
    var a: UnsafePointer<Float>
    var lda: Int
    var panels: UnsafePointer<Float>
    var bias: UnsafePointer<Float>?
    var output: UnsafeMutablePointer<Float>
    var ldc: Int

    @inline(__always)
    func run<Activation: VectorActivation>(_ activation: Activation) {
        rowBlock(rows: rows, k: k, n: n, a: a, lda: lda, panels: panels, bias: bias, activation: activation, output: output, ldc: ldc)
    }
}

@inline(__always)
private func rowBlock<Activation: VectorActivation>(
    rows: Int,
    k: Int,
    n: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panels: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?,
    activation: Activation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int
) {
    if n == 1 {
        multiplyByColumn(rows: rows, k: k, a: a, lda: lda, panel: panels, bias: bias?.pointee ?? 0, activation: activation, output: output, ldc: ldc)
        return
    }
    if rows == 1 {
        multiplyVector(k: k, n: n, a: a, panels: panels, bias: bias, activation: activation, output: output)
        return
    }
    let panelCount = (n + panelWidth - 1) / panelWidth
    let panelStride = k * panelWidth
    var panel = 0
    while panel < panelCount {
        let firstColumn = panel * panelWidth
        let panel0 = panels + panel * panelStride
        let bias0 = load(bias.map { $0 + firstColumn }, min(panelWidth, n - firstColumn))
        if panel + 1 == panelCount {
            // A lone last panel: half the tile's width.
            let width = n - firstColumn
            var row = 0
            while row < rows {
                let tile = min(tileRows, rows - row)
                multiplyNarrowTile(
                    rows: tile, k: k, a: a + row * lda, lda: lda, panel: panel0, bias: bias0,
                    activation: activation, output: output + row * ldc + firstColumn, ldc: ldc, width: width
                )
                row += tile
            }
            return
        }
        let width1 = min(panelWidth, n - firstColumn - panelWidth)
        let bias1 = load(bias.map { $0 + firstColumn + panelWidth }, width1)
        var row = 0
        while row < rows {
            let tile = min(tileRows, rows - row)
            multiplyTile(
                rows: tile, k: k, a: a + row * lda, lda: lda, panel0: panel0, panel1: panel0 + panelStride,
                bias0: bias0, bias1: bias1, activation: activation, output: output + row * ldc + firstColumn,
                ldc: ldc, width1: width1
            )
            row += tile
        }
        panel += 2
    }
}

@inline(__always)
private func multiplyTile<Activation: VectorActivation>(
    rows: Int,
    k: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panel0: UnsafePointer<Float>,
    panel1: UnsafePointer<Float>,
    bias0: SIMD8<Float>,
    bias1: SIMD8<Float>,
    activation: Activation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int,
    width1: Int
) {
    // The bias is added after the products, as onnxruntime's GEMM does, so that rounding matches it
    // as closely as the order of the sums allows.
    var c00 = SIMD8<Float>(), c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00
    var c01 = c00, c11 = c00, c21 = c00, c31 = c00, c41 = c00, c51 = c00
    // Rows past `rows` read row 0 again and are not stored: one branch-free loop for every height.
    let a0 = a
    let a1 = rows > 1 ? a + lda : a
    let a2 = rows > 2 ? a + 2 * lda : a
    let a3 = rows > 3 ? a + 3 * lda : a
    let a4 = rows > 4 ? a + 4 * lda : a
    let a5 = rows > 5 ? a + 5 * lda : a
    let b0 = UnsafeRawPointer(panel0), b1 = UnsafeRawPointer(panel1)
    for p in 0..<k {
        let x0 = b0.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self)
        let x1 = b1.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self)
        var s = SIMD8<Float>(repeating: a0[p])
        c00 = c00.addingProduct(s, x0)
        c01 = c01.addingProduct(s, x1)
        s = SIMD8<Float>(repeating: a1[p])
        c10 = c10.addingProduct(s, x0)
        c11 = c11.addingProduct(s, x1)
        s = SIMD8<Float>(repeating: a2[p])
        c20 = c20.addingProduct(s, x0)
        c21 = c21.addingProduct(s, x1)
        s = SIMD8<Float>(repeating: a3[p])
        c30 = c30.addingProduct(s, x0)
        c31 = c31.addingProduct(s, x1)
        s = SIMD8<Float>(repeating: a4[p])
        c40 = c40.addingProduct(s, x0)
        c41 = c41.addingProduct(s, x1)
        s = SIMD8<Float>(repeating: a5[p])
        c50 = c50.addingProduct(s, x0)
        c51 = c51.addingProduct(s, x1)
    }
    store(activation(c00 + bias0), activation(c01 + bias1), output, width1)
    if rows > 1 { store(activation(c10 + bias0), activation(c11 + bias1), output + ldc, width1) }
    if rows > 2 { store(activation(c20 + bias0), activation(c21 + bias1), output + 2 * ldc, width1) }
    if rows > 3 { store(activation(c30 + bias0), activation(c31 + bias1), output + 3 * ldc, width1) }
    if rows > 4 { store(activation(c40 + bias0), activation(c41 + bias1), output + 4 * ldc, width1) }
    if rows > 5 { store(activation(c50 + bias0), activation(c51 + bias1), output + 5 * ldc, width1) }
}

/// Six rows by one panel, for the last panel when the panel count is odd.
@inline(__always)
private func multiplyNarrowTile<Activation: VectorActivation>(
    rows: Int,
    k: Int,
    a: UnsafePointer<Float>,
    lda: Int,
    panel: UnsafePointer<Float>,
    bias: SIMD8<Float>,
    activation: Activation,
    output: UnsafeMutablePointer<Float>,
    ldc: Int,
    width: Int
) {
    var c0 = SIMD8<Float>(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
    let a0 = a
    let a1 = rows > 1 ? a + lda : a
    let a2 = rows > 2 ? a + 2 * lda : a
    let a3 = rows > 3 ? a + 3 * lda : a
    let a4 = rows > 4 ? a + 4 * lda : a
    let a5 = rows > 5 ? a + 5 * lda : a
    let b = UnsafeRawPointer(panel)
    for p in 0..<k {
        let x = b.loadUnaligned(fromByteOffset: p * 32, as: SIMD8<Float>.self)
        c0 = c0.addingProduct(SIMD8<Float>(repeating: a0[p]), x)
        c1 = c1.addingProduct(SIMD8<Float>(repeating: a1[p]), x)
        c2 = c2.addingProduct(SIMD8<Float>(repeating: a2[p]), x)
        c3 = c3.addingProduct(SIMD8<Float>(repeating: a3[p]), x)
        c4 = c4.addingProduct(SIMD8<Float>(repeating: a4[p]), x)
        c5 = c5.addingProduct(SIMD8<Float>(repeating: a5[p]), x)
    }
    store(activation(c0 + bias), output, width)
    if rows > 1 { store(activation(c1 + bias), output + ldc, width) }
    if rows > 2 { store(activation(c2 + bias), output + 2 * ldc, width) }
    if rows > 3 { store(activation(c3 + bias), output + 3 * ldc, width) }
    if rows > 4 { store(activation(c4 + bias), output + 4 * ldc, width) }
    if rows > 5 { store(activation(c5 + bias), output + 5 * ldc, width) }
}


@inline(__always)
func loadVector(_ source: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
}

/// `width` floats of a bias from `source`, or zeros without one.
@inline(__always)
func load(_ source: UnsafePointer<Float>?, _ width: Int) -> SIMD8<Float> {
    source.map { VectorMath.load($0, count: width) } ?? SIMD8<Float>()
}

/// Stores sixteen columns, the first eight in full and `width1` of the second eight.
@inline(__always)
func store(_ left: SIMD8<Float>, _ right: SIMD8<Float>, _ destination: UnsafeMutablePointer<Float>, _ width1: Int) {
    UnsafeMutableRawPointer(destination).storeBytes(of: left, as: SIMD8<Float>.self)
    store(right, destination + panelWidth, width1)
}

@inline(__always)
func store(_ values: SIMD8<Float>, _ destination: UnsafeMutablePointer<Float>, _ width: Int) {
    VectorMath.store(values, to: destination, count: width)
}
