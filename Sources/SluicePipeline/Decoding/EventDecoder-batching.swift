extension EventDecoder {
    /// Decodes `payload` into `row`, for a layout of floats alone (``ModelInputLayout/isFloatOnly``):
    /// `layout.lanes.float` floats. On failure the row's contents are unspecified.
    @inline(__always)
    public func decode(_ payload: UnsafeRawBufferPointer, into row: UnsafeMutableBufferPointer<Float>) throws(Failure) {
        try layout.withWriter(floatRow: row) { (writer) throws(Failure) in try decode(payload, into: writer) }
    }
}

extension MicroBatcher {
    /// Decodes `payload` with `decoder` (any format) into the open batch's next row; the row joins
    /// the batch only when ``append(_:now:)`` follows. A layout of floats alone takes the float
    /// row path, as the overload for JSON does.
    public mutating func decodeNextRow(_ payload: UnsafeRawBufferPointer, with decoder: EventDecoder) throws(EventDecoder.Failure) {
        if layout.isFloatOnly {
            try withNextRow { (row) throws(EventDecoder.Failure) in try decoder.decode(payload, into: row) }
        } else {
            try withNextInputRow { (writer) throws(EventDecoder.Failure) in try decoder.decode(payload, into: writer) }
        }
    }
}
