/// A `K×N` right-hand matrix rearranged once, at load time, into the column panels the GEMM
/// micro-kernel streams through.
///
/// Panel `p` holds columns `p·8 ..< p·8+8` for every row `k`, eight contiguous floats per row, so
/// the micro-kernel reads the whole panel front to back with aligned vector loads. The last panel is
/// padded with zero columns; the padding is never written to an output.
public struct PackedMatrix: Sendable {
    /// Columns per panel: one `SIMD8<Float>` per row of a panel.
    public static let panelWidth = 8

    /// The rows of the original matrix (the reduction dimension of a product).
    public let rows: Int
    /// The columns of the original matrix (the output width of a product).
    public let columns: Int
    /// The panels, `panelCount · rows · panelWidth` floats.
    public let panels: [Float]

    public var panelCount: Int { (columns + Self.panelWidth - 1) / Self.panelWidth }

    /// Packs `matrix`, read as `rows×columns` with the given strides, multiplied by `scale`.
    ///
    /// Strides make a transposed operand (`Gemm`'s `transB`) cost nothing extra: pass
    /// `rowStride: 1, columnStride: rows`.
    public init(
        rows: Int,
        columns: Int,
        rowStride: Int,
        columnStride: Int,
        scale: Float = 1,
        _ matrix: UnsafeBufferPointer<Float>
    ) {
        precondition(rows >= 0 && columns >= 0)
        let width = Self.panelWidth
        let panelCount = (columns + width - 1) / width
        var panels = [Float](repeating: 0, count: panelCount * rows * width)
        panels.withUnsafeMutableBufferPointer { packed in
            for panel in 0..<panelCount {
                let firstColumn = panel * width
                let panelColumns = min(width, columns - firstColumn)
                let panelBase = panel * rows * width
                for row in 0..<rows {
                    for column in 0..<panelColumns {
                        packed[panelBase + row * width + column] =
                            scale * matrix[row * rowStride + (firstColumn + column) * columnStride]
                    }
                }
            }
        }
        self.rows = rows
        self.columns = columns
        self.panels = panels
    }

    /// Packs a row-major `rows×columns` array.
    public init(rows: Int, columns: Int, rowMajor values: [Float], scale: Float = 1) {
        precondition(values.count == rows * columns, "a \(rows)×\(columns) matrix needs \(rows * columns) values")
        self = values.withUnsafeBufferPointer {
            PackedMatrix(rows: rows, columns: columns, rowStride: columns, columnStride: 1, scale: scale, $0)
        }
    }
}
