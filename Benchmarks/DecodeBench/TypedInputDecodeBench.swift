import SluiceDemoEvents
import SluiceKernels
import SluicePipeline

/// Events packed back to back in one buffer.
struct PackedEvents {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []

    mutating func append(_ event: [UInt8]) {
        let start = bytes.count
        bytes += event
        ranges.append(start..<bytes.count)
    }

    var averageSize: Int { bytes.count / max(ranges.count, 1) }
}

/// Events per second decoding `events` into rows of `layout` through `InputRows.withRow`, as the
/// processor's non-JSON path does (the open batch's next row), 256 rows reused.
func measureRows(_ events: PackedEvents, layout: ModelInputLayout, _ decode: (UnsafeRawBufferPointer, InputRowWriter) throws(FeatureDecodingError) -> Void) throws -> Double {
    var rows = InputRows(layout: layout, capacity: 256)
    return try measure(events: events.ranges.count, rounds: 21) {
        try events.bytes.withUnsafeBytes { bytes in
            for (index, range) in events.ranges.enumerated() {
                if index & 255 == 0 { rows.removeAll() }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[range])
                try rows.withRow(index & 255) { (writer) throws(FeatureDecodingError) in try decode(payload, writer) }
            }
        }
    }
}

/// The demo's event as bare Avro into its row through `InputRows.withRow` (the processor's path
/// for Avro), and the events of a model with several typed inputs (a ColumnTransformer's: two
/// floats, two strings, one of them an Avro enum) as JSON and as Avro, into its input rows.
func benchmarkTypedInputs(demo: DemoEvents, spec: FeatureSpec, count: Int) throws {
    let demoFeatures = try FeatureDecoder(spec: spec)
    let demoPlan = try AvroPlan(writerSchema: FraudEventAvro.schema, features: demoFeatures)
    var demoAvro = PackedEvents()
    for range in demo.ranges { demoAvro.append(FraudEventAvro.record(ofJSON: Array(demo.bytes[range]))!) }
    let demoRates = (
        json: try measureRows(PackedEvents(bytes: demo.bytes, ranges: demo.ranges), layout: demoFeatures.layout) { (payload, writer) throws(FeatureDecodingError) in
            try demoFeatures.decode(payload, into: writer)
        },
        avro: try measureRows(demoAvro, layout: demoFeatures.layout) { (payload, writer) throws(FeatureDecodingError) in try demoPlan.decode(payload, from: 0, into: writer) }
    )
    print(
        "rows    demo event via InputRows.withRow: avro \(demoAvro.averageSize) B/event \(format(demoRates.avro)) events/s, "
            + "json \(demo.averageSize) B/event \(format(demoRates.json)) events/s, avro ×\(String(format: "%.2f", demoRates.avro / demoRates.json))"
    )

    let features = try FeatureDecoder(inputs: [
        InputSpec(name: "amount", features: FeatureSpec([.init(path: "amount")])),
        InputSpec(name: "account_age_days", features: FeatureSpec([.init(path: "account_age_days")])),
        InputSpec(name: "country", elementType: .string, features: FeatureSpec([.init(path: "country")])),
        InputSpec(name: "channel", elementType: .string, features: FeatureSpec([.init(path: "channel")])),
    ])
    let channels = ["web", "store", "phone"]
    let countries = ["FR", "DE", "US", "GB", "BR"]
    let schema = #"""
        {"type": "record", "name": "Transaction", "fields": [{"name": "amount", "type": "double"}, {"name": "account_age_days", "type": "long"},
         {"name": "country", "type": "string"}, {"name": "channel", "type": {"type": "enum", "name": "Channel", "symbols": ["web", "store", "phone"]}}]}
        """#
    let plan = try AvroPlan(writerSchema: schema, features: features)
    var json = PackedEvents()
    var avro = PackedEvents()
    var state: UInt64 = 42
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let amount = Double(state >> 40) / 1000
        let age = Int64(state >> 20 & 0xFFF)
        let country = countries[Int(state >> 8 & 0xFF) % countries.count]
        let channel = Int(state >> 16 & 0xFF) % channels.count
        json.append(Array(#"{"amount":\#(amount),"account_age_days":\#(age),"country":"\#(country)","channel":"\#(channels[channel])"}"#.utf8))
        var record: [UInt8] = []
        AvroWriter.appendDouble(amount, to: &record)
        AvroWriter.appendLong(age, to: &record)
        AvroWriter.appendString(Array(country.utf8), to: &record)
        AvroWriter.appendLong(Int64(channel), to: &record)
        avro.append(record)
    }
    let rates = (
        json: try measureRows(json, layout: features.layout) { (payload, writer) throws(FeatureDecodingError) in try features.decode(payload, into: writer) },
        avro: try measureRows(avro, layout: features.layout) { (payload, writer) throws(FeatureDecodingError) in try plan.decode(payload, from: 0, into: writer) }
    )
    print(
        "rows    typed inputs (2 float, 2 string): avro \(avro.averageSize) B/event \(format(rates.avro)) events/s, "
            + "json \(json.averageSize) B/event \(format(rates.json)) events/s, avro ×\(String(format: "%.2f", rates.avro / rates.json))"
    )
}
