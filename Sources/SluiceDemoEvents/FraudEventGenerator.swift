import Foundation
import SluiceRandom

/// Card transactions as JSON, drawn from the distributions `Models/fraud-mlp.onnx` was trained on
/// (Models/README.md), so the demo sees a realistic spread of fraud probabilities. Every
/// `malformedEvery`-th event is broken on purpose, in turn: truncated JSON, `amount` as a string,
/// `amount` missing, and a `features` vector one value short. The same seed gives the same events.
///
/// The schema `config/demo.yaml` reads: `transaction_id`, `card_id` (also the message key),
/// `amount`, `currency`, a 16-value `features` array, `merchant_risk`, `hour`, `account_age_days`.
public struct FraudEventGenerator: Sendable {
    public enum Kind: Equatable, Sendable {
        case valid
        case malformed
    }

    private var random: SplitMix64
    /// Every this-many-th event is malformed; `Int.max` for none.
    public let malformedEvery: Int
    /// Digits after the point of the `features` values: 4 as the demo writes them; 9 makes the
    /// decoder's work that of shortest round-trip float32 text.
    public let featureDecimals: Int
    /// Events made so far.
    public private(set) var count = 0
    /// Malformed events among them.
    public private(set) var malformedCount = 0

    public init(seed: UInt64, malformedEvery: Int = 4_999, featureDecimals: Int = 4) {
        random = SplitMix64(seed: seed)
        self.malformedEvery = malformedEvery
        self.featureDecimals = featureDecimals
    }

    /// Writes the next event into `event` and its card id (the message key) into `key`.
    public mutating func next(event: inout [UInt8], key: inout [UInt8]) -> Kind {
        count += 1
        let malformation = count % malformedEvery == 0 ? (count / malformedEvery) % 4 : nil
        event.removeAll(keepingCapacity: true)
        key.removeAll(keepingCapacity: true)
        append("c", to: &key)
        appendInteger(UInt64(nextUniform() * 50_000), to: &key)

        append(#"{"transaction_id":"t"#, to: &event)
        appendInteger(UInt64(count), to: &event)
        append(#"","card_id":""#, to: &event)
        event.append(contentsOf: key)
        append("\"", to: &event)
        switch malformation {
        case 1:
            append(#","amount":"12.50""#, to: &event)
        case 2:
            break
        default:
            append(#","amount":"#, to: &event)
            appendFixed(exp(3.5 + 1.2 * nextNormal()), decimals: 2, to: &event)
        }
        append(#","currency":"EUR","features":["#, to: &event)
        for index in 0..<(malformation == 3 ? 15 : 16) {
            if index > 0 { append(",", to: &event) }
            appendFixed(nextNormal(), decimals: featureDecimals, to: &event)
        }
        append(#"],"merchant_risk":"#, to: &event)
        appendFixed(nextBeta2And5(), decimals: 4, to: &event)
        append(#","hour":"#, to: &event)
        appendInteger(UInt64(nextUniform() * 24), to: &event)
        append(#","account_age_days":"#, to: &event)
        appendInteger(UInt64((-700 * log(1 - nextUniform())).rounded()), to: &event)
        append("}", to: &event)
        if malformation == 0 { event.removeLast(9) }
        if malformation != nil { malformedCount += 1 }
        return malformation == nil ? .valid : .malformed
    }

    /// Uniform in [0, 1).
    private mutating func nextUniform() -> Double {
        random.uniform()
    }

    /// Standard normal (Box–Muller).
    private mutating func nextNormal() -> Double {
        let radius = (-2 * log(1 - nextUniform())).squareRoot()
        return radius * cos(2 * Double.pi * nextUniform())
    }

    /// Beta(2, 5): the 2nd smallest of 6 uniforms.
    private mutating func nextBeta2And5() -> Double {
        var smallest = 1.0
        var second = 1.0
        for _ in 0..<6 {
            let value = nextUniform()
            if value < smallest {
                second = smallest
                smallest = value
            } else if value < second {
                second = value
            }
        }
        return second
    }

    private func append(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(digits[index]) }
        }
    }

    private func appendFixed(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = UInt64((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled > 0 { bytes.append(UInt8(ascii: "-")) }
        appendInteger(scaled / scale, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        var fraction = scaled % scale
        var divisor = scale / 10
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
