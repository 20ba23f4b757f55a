import Foundation
import SluicePipeline

// Decoding and encoding throughput for the demo's events, as medians over repeated passes, with
// Foundation's JSONSerialization on the same events as the reference. Run in release mode:
//   swift run -c release sluice-decode-bench [--only decode|avro|rows|encode|monitor|explain] [--no-reference] [--best]
// `--best` reports the fastest pass instead of the median, the steadier figure on a shared machine.

let arguments = CommandLine.arguments
/// Whether to time the Foundation reference too (`--no-reference` leaves it out, for profiling).
let withReference = !arguments.contains("--no-reference")
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }

let spec = FeatureSpec([
    .init(path: "amount"),
    .init(path: "features", length: 16),
    .init(path: "merchant_risk", defaultValue: 0),
    .init(path: "hour"),
    .init(path: "account_age_days"),
])
let decoder = try FeatureDecoder(spec: spec)

/// Events per second of `pass`, which handles `events` events, on one core: the median of
/// `rounds` passes (after one untimed warm-up pass), timed by the thread's CPU clock so that other
/// processes sharing the machine do not count.
func measure(events: Int, rounds: Int, _ pass: () throws -> Void) rethrows -> Double {
    try pass()
    var rates: [Double] = []
    for _ in 0..<rounds {
        let start = threadCPUSeconds()
        try pass()
        rates.append(Double(events) / (threadCPUSeconds() - start))
    }
    if arguments.contains("--best") { return rates.max()! }
    return rates.sorted()[rates.count / 2]
}

func decodeAll(_ events: DemoEvents, into matrix: inout [Float]) throws {
    let width = decoder.width
    try events.bytes.withUnsafeBytes { bytes in
        try matrix.withUnsafeMutableBufferPointer { matrix in
            var row = 0
            for range in events.ranges {
                let payload = UnsafeRawBufferPointer(rebasing: bytes[range])
                let slot = UnsafeMutableBufferPointer(rebasing: matrix[(row * width)..<((row + 1) * width)])
                try decoder.decode(payload, into: slot)
                row = (row + 1) & 255
            }
        }
    }
}

func format(_ rate: Double) -> String { String(format: "%.2fM", rate / 1e6) }

let eventCount = 20_000
var matrix = [Float](repeating: 0, count: 256 * decoder.width)

for decimals in only == nil || only == "decode" ? [4, 9] : [] {
    let events = DemoEvents(count: eventCount, decimals: decimals)
    let sluice = try measure(events: eventCount, rounds: 21) { try decodeAll(events, into: &matrix) }
    let foundationEvents = withReference ? 2_000 : 0
    let foundation = try measure(events: foundationEvents, rounds: 5) {
        for range in events.ranges.prefix(foundationEvents) {
            _ = try JSONSerialization.jsonObject(with: Data(events.bytes[range]))
        }
    }
    print(
        "decode  \(decimals) decimals, \(events.averageSize) B/event, \(decoder.width) features: "
            + "\(format(sluice)) events/s  (JSONSerialization \(format(foundation)) events/s, ×\(String(format: "%.1f", sluice / foundation)))"
    )
}

if only == nil || only == "avro" {
    try benchmarkAvroDecoding(events: DemoEvents(count: eventCount, decimals: 4), spec: spec)
}

if only == nil || only == "rows" {
    try benchmarkTypedInputs(demo: DemoEvents(count: eventCount, decimals: 4), spec: spec, count: eventCount)
}

if only == nil || only == "monitor" {
    try benchmarkMonitoring(events: DemoEvents(count: eventCount, decimals: 4), decoder: decoder)
}

if only == nil || only == "explain" {
    try benchmarkExplanations()
}

if only == nil || only == "encode" {
    try benchmarkEncoding(events: DemoEvents(count: 256 * 40, decimals: 4), decoder: decoder)
}
