import SluiceKernels
import SluiceModel
import Testing

/// An audit trail is only as good as its replay: every example model gives a row bit-identical
/// outputs whether it is scored alone, in a batch of 7, or at any position of a batch of 1,024, so
/// that re-scoring an event after a restart (in whatever batch it then lands) reproduces its decision.
@Suite struct ReproducibleDecisionTests {
    @Test(arguments: try ExampleReference.all())
    func aRowScoresBitForBitTheSameInEveryBatch(_ reference: ExampleReference) throws {
        let session = try Model(contentsOf: reference.modelURL.path).makeSession()
        let alone = try (0 ..< reference.rowCount).map { row in try RowOutputs.of(predict(session, reference.selecting(rows: [row])), rows: 1)[0] }

        for start in 0 ..< reference.rowCount {
            let batch = (0 ..< 7).map { (start + $0) % reference.rowCount }
            try expectSame(session, reference, batch, alone, label: "batch of 7 starting at row \(start)")
        }
        // Every position of the large batch holds one of the rows, so each position of every tile,
        // block and remainder is compared with that row scored alone.
        let large = (0 ..< 1024).map { ($0 * 7 + $0 / 20) % reference.rowCount }
        try expectSame(session, reference, large, alone, label: "batch of 1024")
    }

    private func expectSame(_ session: ModelSession, _ reference: ExampleReference, _ batch: [Int], _ alone: [RowOutputs],
                            label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scored = try RowOutputs.of(predict(session, reference.selecting(rows: batch)), rows: batch.count)
        let differing = batch.indices.filter { scored[$0] != alone[batch[$0]] }
        #expect(differing.isEmpty, """
            \(reference.name) \(label): \(differing.count) positions differ from their row scored alone, first at \
            position \(differing.first ?? 0) (row \(differing.first.map { batch[$0] } ?? 0)): \
            \(differing.first.map { "\(scored[$0]) vs \(alone[batch[$0]])" } ?? "")
            """, sourceLocation: sourceLocation)
    }

    private func predict(_ session: ModelSession, _ reference: ExampleReference) throws -> [Tensor] {
        try reference.hasSingleFloatInput
            ? session.predict(features: reference.flatInput, rows: reference.rowCount)
            : session.predict(reference.tensors)
    }
}

/// One row's slice of every output, floats by bit pattern so that equality means bit-identical.
struct RowOutputs: Equatable, CustomStringConvertible {
    var elements: [[String]]

    var description: String { elements.map { $0.joined(separator: ",") }.joined(separator: " | ") }

    /// Each row's slice of `outputs`, whose first dimension is the batch.
    static func of(_ outputs: [Tensor], rows: Int) -> [RowOutputs] {
        let columns = outputs.map { tensor -> [String] in
            switch tensor.storage {
            case .float(let values): values.map { String($0.bitPattern, radix: 16) + "(\($0))" }
            case .double(let values): values.map { String($0.bitPattern, radix: 16) + "(\($0))" }
            case .int64(let values): values.map { "\($0)" }
            case .int32(let values): values.map { "\($0)" }
            case .bool(let values): values.map { "\($0)" }
            case .string(let values): values
            }
        }
        return (0 ..< rows).map { row in
            RowOutputs(elements: columns.map { values in
                let width = values.count / rows
                return Array(values[row * width ..< (row + 1) * width])
            })
        }
    }
}
