extension MicroBatch {
    /// Empties this batch to hold a part of `batch` (``appendRow(_:of:)``): the same id and times,
    /// no rows. The storage is kept, so a part reused batch after batch allocates nothing.
    mutating func startPart(of batch: MicroBatch) {
        reset()
        id = batch.id
        openedAt = batch.openedAt
        closedAt = batch.closedAt
    }

    /// Appends row `row` of `batch`, of the same layout: its metadata (its key and traceparent
    /// copied into this batch's bytes), its values and its feature digest.
    mutating func appendRow(_ row: Int, of batch: MicroBatch) {
        var metadata = batch.rows[row]
        metadata.key = metadata.key.map { copyBytes($0, of: batch) }
        metadata.traceparent = metadata.traceparent.map { copyBytes($0, of: batch) }
        inputs.copyRow(row, of: batch.inputs, to: rows.count)
        rows.append(metadata)
        featureDigests.append(batch.featureDigests[row])
    }

    private mutating func copyBytes(_ range: Range<Int>, of batch: MicroBatch) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: batch.bytes[range])
        return start..<bytes.count
    }
}

extension InputRows {
    /// Copies row `row` of `source`, of the same layout, into row `destination`; its string
    /// values are appended to this storage's string bytes.
    mutating func copyRow(_ row: Int, of source: InputRows, to destination: Int) {
        let lanes = layout.lanes
        Self.copy(row, of: source.floats, to: destination, in: &floats, width: lanes.float)
        Self.copy(row, of: source.doubles, to: destination, in: &doubles, width: lanes.double)
        Self.copy(row, of: source.int64s, to: destination, in: &int64s, width: lanes.int64)
        Self.copy(row, of: source.int32s, to: destination, in: &int32s, width: lanes.int32)
        Self.copy(row, of: source.bools, to: destination, in: &bools, width: lanes.bool)
        Self.copy(row, of: source.present, to: destination, in: &present, width: lanes.presence)
        for lane in 0..<lanes.string {
            let slot = source.strings[row * lanes.string + lane]
            let start = Int32(stringBytes.count)
            stringBytes.append(contentsOf: source.stringBytes[Int(slot.start)..<Int(slot.start + slot.count)])
            strings[destination * lanes.string + lane] = StringSlot(start: start, count: slot.count)
        }
    }

    private static func copy<T>(_ row: Int, of source: [T], to destination: Int, in target: inout [T], width: Int) {
        guard width > 0 else { return }
        target.replaceSubrange((destination * width)..<((destination + 1) * width), with: source[(row * width)..<((row + 1) * width)])
    }
}
