extension MicroBatcher {
    /// Decodes `payload` with `decoder` into the open batch's next row; as with
    /// ``decodeNextRow(_:with:)-(_,FeatureDecoder)``, the row joins the batch only when
    /// ``append(_:now:)`` follows.
    ///
    /// - Throws: ``EventDecoder/Failure/undecodable(_:)`` for an event that cannot be decoded,
    ///   ``EventDecoder/Failure/schemaUnavailable(_:)`` while its writer schema cannot be had.
    mutating func decodeNextRow(_ payload: UnsafeRawBufferPointer, with decoder: EventDecoder) throws(EventDecoder.Failure) {
        if case .json = decoder.schemas {
            do throws(FeatureDecodingError) {
                try decodeNextRow(payload, with: decoder.json)
            } catch {
                throw .undecodable(error)
            }
            return
        }
        try withNextRow { (row) throws(EventDecoder.Failure) in try decoder.decode(payload, into: row) }
    }
}
