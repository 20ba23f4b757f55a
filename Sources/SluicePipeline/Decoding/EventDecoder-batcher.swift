extension EventDecoder {
    /// Decodes `payload` into `row`, for a layout of floats alone (``ModelInputLayout/isFloatOnly``):
    /// `layout.lanes.float` floats. On failure the row's contents are unspecified.
    @inline(__always)
    public func decode(_ payload: UnsafeRawBufferPointer, into row: UnsafeMutableBufferPointer<Float>) throws(Failure) {
        try layout.withWriter(floatRow: row) { (writer) throws(Failure) in try decode(payload, into: writer) }
    }
}

extension MicroBatcher {
    /// Decodes `payload` with `decoder` (any format) into the open batch's next row; as with
    /// ``decodeNextRow(_:with:)-(_,FeatureDecoder)``, the row joins the batch only when
    /// ``append(_:now:)`` follows. A layout of floats alone takes the float row path.
    ///
    /// - Throws: ``EventDecoder/Failure/undecodable(_:)`` for an event that cannot be decoded,
    ///   ``EventDecoder/Failure/schemaUnavailable(_:)`` while its writer schema cannot be had.
    public mutating func decodeNextRow(_ payload: UnsafeRawBufferPointer, with decoder: EventDecoder) throws(EventDecoder.Failure) {
        if case .json = decoder.schemas {
            do throws(FeatureDecodingError) {
                try decodeNextRow(payload, with: decoder.json)
            } catch {
                throw .undecodable(error)
            }
            return
        }
        if layout.isFloatOnly {
            try withNextRow { (row) throws(EventDecoder.Failure) in try decoder.decode(payload, into: row) }
        } else {
            try withNextInputRow { (writer) throws(EventDecoder.Failure) in try decoder.decode(payload, into: writer) }
        }
    }
}
