import SluicePipeline

extension FeatureDecoder {
    /// Decodes `json` into a fresh row, for tests.
    func decode(_ json: String) throws(FeatureDecodingError) -> [Float] {
        try decode(Array(json.utf8))
    }

    func decode(_ bytes: [UInt8]) throws(FeatureDecodingError) -> [Float] {
        var row = [Float](repeating: -1, count: width)
        var failure: FeatureDecodingError?
        bytes.withUnsafeBytes { payload in
            row.withUnsafeMutableBufferPointer { row in
                do throws(FeatureDecodingError) {
                    try decode(payload, into: row)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return row
    }

    /// The error decoding `json` fails with, or `nil` when it decodes.
    func failure(_ json: String) -> FeatureDecodingError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }
}

func decoder(_ features: FeatureSpec.Feature...) throws -> FeatureDecoder {
    try FeatureDecoder(spec: FeatureSpec(features))
}

/// A small, reproducible generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
