import SluiceDemoEvents
import SluicePipeline

/// Avro decoding of the demo's events in the Schema Registry wire format (the header read, then
/// the record by its compiled plan), beside the JSON decoder on the same events in the same run.
func benchmarkAvroDecoding(events: DemoEvents, spec: FeatureSpec) throws {
    let plan = try AvroPlan(writerSchema: FraudEventAvro.schema, features: try FeatureDecoder(spec: spec))
    var avro: (bytes: [UInt8], ranges: [Range<Int>]) = ([], [])
    for range in events.ranges {
        let record = FraudEventAvro.record(ofJSON: Array(events.bytes[range]))!
        let start = avro.bytes.count
        avro.bytes += ConfluentFraming.frame(schemaID: 1, body: record)
        avro.ranges.append(start..<avro.bytes.count)
    }
    let width = plan.layout.lanes.float
    var matrix = [Float](repeating: 0, count: 256 * width)
    var rates: (avro: Double, json: Double) = (0, 0)
    rates.avro = try measure(events: avro.ranges.count, rounds: 21) {
        try avro.bytes.withUnsafeBytes { bytes in
            try matrix.withUnsafeMutableBufferPointer { matrix in
                for (index, range) in avro.ranges.enumerated() {
                    let payload = UnsafeRawBufferPointer(rebasing: bytes[range])
                    let row = (index & 255) * width
                    guard try ConfluentFraming.schemaID(of: payload) == 1 else { fatalError("schema id") }
                    try plan.decode(payload, from: ConfluentFraming.headerLength, into: UnsafeMutableBufferPointer(rebasing: matrix[row..<(row + width)]))
                }
            }
        }
    }
    rates.json = try measure(events: events.ranges.count, rounds: 21) { try decodeAll(events, into: &matrix) }
    print(
        "decode  avro (Confluent framing), \(avro.bytes.count / avro.ranges.count) B/event, \(width) features: \(format(rates.avro)) events/s  "
            + "(the JSON decoder on the same events, \(events.averageSize) B/event: \(format(rates.json)) events/s, avro ×\(String(format: "%.2f", rates.avro / rates.json)))"
    )
}
