import SluiceModel
import SluicePipeline

/// What drift monitoring costs on the processor's own work per event: decoding the demo's events
/// into batches of 256 and scoring them with `Models/fraud-mlp.onnx`, with and without a
/// ``DriftMonitor`` (window 1,000) observing every batch, alternating in the same run. The
/// processor's Kafka work comes on top of both, so its ratio is closer to 1 than this one.
func benchmarkMonitoring(events: DemoEvents, decoder: FeatureDecoder) throws {
    let batchSize = 256
    let model = try Model(contentsOf: "Models/fraud-mlp.onnx")
    var builder = ProfileBuilder(decoder: decoder, model: model)
    try events.bytes.withUnsafeBytes { bytes in
        for range in events.ranges { try builder.add(event: UnsafeRawBufferPointer(rebasing: bytes[range])) }
    }
    let monitor = DriftMonitor(profile: try builder.finish(), windowSize: 1_000)
    let session = model.makeSession()
    var matrix = [Float](repeating: 0, count: batchSize * decoder.width)

    func pass(monitored: Bool) throws {
        try events.bytes.withUnsafeBytes { bytes in
            var start = 0
            while start + batchSize <= events.ranges.count {
                try matrix.withUnsafeMutableBufferPointer { matrix in
                    for row in 0 ..< batchSize {
                        let payload = UnsafeRawBufferPointer(rebasing: bytes[events.ranges[start + row]])
                        try decoder.decode(payload, into: UnsafeMutableBufferPointer(rebasing: matrix[(row * decoder.width) ..< ((row + 1) * decoder.width)]))
                    }
                    let outputs = try session.predict(features: UnsafeBufferPointer(matrix), rows: batchSize)
                    if monitored { monitor.observe(features: UnsafeBufferPointer(matrix), width: decoder.width, rows: batchSize, outputs: outputs) }
                }
                start += batchSize
            }
        }
    }

    let scored = events.ranges.count / batchSize * batchSize
    var plain: [Double] = [], monitored: [Double] = []
    for round in 0 ..< 11 {
        // Alternating which goes first, so neither always runs warmer.
        for withMonitor in round.isMultiple(of: 2) ? [false, true] : [true, false] {
            let rate = try measure(events: scored, rounds: 1) { try pass(monitored: withMonitor) }
            if withMonitor { monitored.append(rate) } else { plain.append(rate) }
        }
    }
    let median = { (rates: [Double]) in rates.sorted()[rates.count / 2] }
    print(
        "monitor decode + score (fraud-mlp, batches of \(batchSize)): \(format(median(plain))) events/s; "
            + "with drift monitoring \(format(median(monitored))) events/s; ratio \(String(format: "%.3f", median(monitored) / median(plain)))"
    )
}
