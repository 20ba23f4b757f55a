import EventFormatFuzzing
import SluicePipeline

/// The fixtures' newest writer schema (every Avro type: enum, a nullable record with fixed,
/// boolean and map fields, arrays, strings, bytes, a nullable feature).
let plan = try! AvroPlan(writerSchema: String(decoding: SchemaDecodingCheck.fixture("fraud-v2.avsc"), as: UTF8.self), features: try! FeatureDecoder(spec: SchemaDecodingCheck.spec))

nonisolated(unsafe) var row = [Float](repeating: 0, count: plan.layout.lanes.float)

/// One libFuzzer input, a bare Avro record, checked by ``SchemaDecodingCheck``.
func fuzzAvroDecoder(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: count)
    row.withUnsafeMutableBufferPointer { row in
        SchemaDecodingCheck.check(count: count, row: row) { () throws(FeatureDecodingError) in try plan.decode(payload, from: 0, into: row) }
    }
    return 0
}
