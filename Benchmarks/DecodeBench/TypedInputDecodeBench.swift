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

/// Events per second decoding `events` into the open batch's next row of a batcher of `layout`,
/// as the processor does (`MicroBatcher.decodeNextRow`), the row never appended; a fresh batcher
/// each pass, since string bytes accumulate until a batch is recycled.
func measureRows(_ events: PackedEvents, layout: ModelInputLayout, _ decode: (inout MicroBatcher, UnsafeRawBufferPointer) throws -> Void) throws -> Double {
    try measure(events: events.ranges.count, rounds: 21) {
        var batcher = MicroBatcher(limits: .init(maxSize: 256, maxDelay: .seconds(1)), layout: layout)
        try events.bytes.withUnsafeBytes { bytes in
            for range in events.ranges { try decode(&batcher, UnsafeRawBufferPointer(rebasing: bytes[range])) }
        }
    }
}

/// The processor's decoding into the open batch (`MicroBatcher.decodeNextRow`), JSON beside bare
/// Avro of the same events: the demo's event (a single float input), and the events of a model
/// with several typed inputs (a ColumnTransformer's: two floats, two strings, one of them an Avro
/// enum).
func benchmarkTypedInputs(demo: DemoEvents, spec: FeatureSpec, count: Int) throws {
    let demoFeatures = try FeatureDecoder(spec: spec)
    let demoAvroDecoder = EventDecoder(json: demoFeatures, schemas: .localAvro(FraudEventAvro.schema))
    var demoAvro = PackedEvents()
    for range in demo.ranges { demoAvro.append(FraudEventAvro.record(ofJSON: Array(demo.bytes[range]))!) }
    let demoRates = (
        json: try measureRows(PackedEvents(bytes: demo.bytes, ranges: demo.ranges), layout: demoFeatures.layout) { try $0.decodeNextRow($1, with: demoFeatures) },
        avro: try measureRows(demoAvro, layout: demoFeatures.layout) { try $0.decodeNextRow($1, with: demoAvroDecoder) }
    )
    print(
        "batch   demo event into the open batch: avro \(demoAvro.averageSize) B/event \(format(demoRates.avro)) events/s, "
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
    let avroDecoder = EventDecoder(json: features, schemas: .localAvro(schema))
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
        json: try measureRows(json, layout: features.layout) { try $0.decodeNextRow($1, with: features) },
        avro: try measureRows(avro, layout: features.layout) { try $0.decodeNextRow($1, with: avroDecoder) }
    )
    print(
        "batch   typed inputs (2 float, 2 string) into the open batch: avro \(avro.averageSize) B/event \(format(rates.avro)) events/s, "
            + "json \(json.averageSize) B/event \(format(rates.json)) events/s, avro ×\(String(format: "%.2f", rates.avro / rates.json))"
    )
}
