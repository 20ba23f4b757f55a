import EventFormatFuzzing
import SluicePipeline

/// The fixtures' descriptor set (a nested message with a map, repeated strings, an enum, proto3
/// optional), its Transaction message.
let plan = try! ProtobufPlan(descriptorSet: SchemaDecodingCheck.fixture("fraud.desc"), message: "sluice.demo.Transaction", features: try! FeatureDecoder(spec: SchemaDecodingCheck.spec))

nonisolated(unsafe) var row = [Float](repeating: 0, count: plan.layout.lanes.float)

/// One libFuzzer input, a bare Protobuf message, checked by ``SchemaDecodingCheck``.
func fuzzProtobufDecoder(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: count)
    row.withUnsafeMutableBufferPointer { row in
        SchemaDecodingCheck.check(count: count, row: row) { () throws(FeatureDecodingError) in try plan.decode(payload, from: 0, into: row) }
    }
    return 0
}
