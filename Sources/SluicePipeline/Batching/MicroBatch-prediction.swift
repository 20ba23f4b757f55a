import SluiceKernels
import SluiceModel

extension ModelSession {
    /// Predicts a closed batch: a single float input model straight from the batch's float matrix
    /// (nothing copied but into the model's input), any other from one tensor per model input,
    /// which the batch's layout lists in the model's input order.
    public func predict(_ batch: MicroBatch) throws -> [Tensor] {
        try predict(batch.inputs, rows: 0..<batch.count)
    }

    /// Predicts rows `rows` of `inputs`, as ``predict(_:)-(MicroBatch)`` does a batch.
    public func predict(_ inputs: InputRows, rows: Range<Int>) throws -> [Tensor] {
        let layout = inputs.layout
        if layout.inputs.count == 1, layout.isFloatOnly {
            let width = layout.lanes.float
            return try inputs.floats.withUnsafeBufferPointer { features in
                try predict(features: UnsafeBufferPointer(rebasing: features[(rows.lowerBound * width)..<(rows.upperBound * width)]), rows: rows.count)
            }
        }
        return try predict(inputs.tensors(rows: rows))
    }
}

extension MicroBatcher {
    /// Decodes `payload` with `decoder` into the open batch's next row; the row joins the batch
    /// only when ``append(_:now:)`` follows. A layout of floats alone takes the float row path.
    public mutating func decodeNextRow(_ payload: UnsafeRawBufferPointer, with decoder: FeatureDecoder) throws(FeatureDecodingError) {
        if layout.isFloatOnly {
            try withNextRow { (row) throws(FeatureDecodingError) in try decoder.decode(payload, into: row) }
        } else {
            try withNextInputRow { (writer) throws(FeatureDecodingError) in try decoder.decode(payload, into: writer) }
        }
    }
}
