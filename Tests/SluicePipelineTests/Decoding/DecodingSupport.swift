import SluicePipeline
import SluiceRandom

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

/// The small, reproducible generator of the property tests, for every file of this module.
typealias SplitMix64 = SluiceRandom.SplitMix64
