import SluicePipeline

/// The demo's features (config/demo.yaml) and a nested path, so that the fuzzer reaches scalars,
/// a fixed-length array, defaults and intermediate objects.
let decoder = try! FeatureDecoder(
    spec: FeatureSpec([
        .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
        .init(path: "hour"), .init(path: "account_age_days"), .init(path: "card.risk.score", defaultValue: -1),
    ])
)

/// Every path an error may name: the whole event, a feature, an array element or a parent object.
let documentedPaths: Set<String> = {
    var paths: Set<String> = ["$"]
    for feature in decoder.spec.features {
        let keys = feature.keys
        for count in 1...keys.count { paths.insert(keys.prefix(count).joined(separator: ".")) }
        for element in 0..<(feature.length ?? 0) { paths.insert("\(feature.path)[\(element)]") }
    }
    return paths
}()

nonisolated(unsafe) var row = [Float](repeating: 0, count: decoder.width)

/// One libFuzzer input: decoding must return, and its outcome must be a documented one. A row
/// that decodes has every column filled (NaN marks a column no value filled); an error names a
/// documented path, an offset inside the payload and a one-line detail, as the dead-letter
/// headers' schema requires. Anything else traps, which libFuzzer reports as a crash.
func fuzzFeatureDecoder(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let payload = UnsafeRawBufferPointer(start: data, count: count)
    row.withUnsafeMutableBufferPointer { row in
        do throws(FeatureDecodingError) {
            try decoder.decode(payload, into: row)
            precondition(!row.contains(where: \.isNaN), "a decoded row with an unfilled column")
        } catch {
            precondition(documentedPaths.contains(error.path), "undocumented path '\(error.path)'")
            precondition((0...count).contains(error.offset), "offset \(error.offset) outside a payload of \(count) bytes")
            precondition(!error.detail.isEmpty && !error.message.contains("\n"), "a detail that is not one line: \(error.detail)")
        }
    }
    return 0
}
