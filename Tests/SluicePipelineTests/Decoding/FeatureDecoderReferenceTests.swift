import Foundation
import Testing
@testable import SluicePipeline

/// Random documents decoded by Sluice and by Foundation's `JSONSerialization`, which must agree.
@Suite struct FeatureDecoderReferenceTests {
    indirect enum Value {
        case number(String)
        case bool(Bool)
        case null
        case string(String)
        case array([Value])
        case object([(String, Value)])
    }

    struct Generator {
        var random: SplitMix64

        mutating func int(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

        mutating func number() -> String {
            switch int(5) {
            case 0: "\(int(1000) - 500)"
            case 1: "\(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()) & 0x7F7F_FFFF))"
            case 2: "-\(int(100)).\(int(100_000))e\(int(20) - 10)"
            // Around the largest Float (3.4028235e38): some fit, the others are out of range.
            case 3: "\(int(2) == 0 ? "-" : "")\(int(9) + 1).\(int(1000))e\(36 + int(5))"
            default: "\(Double(int(10_000_000)) / 1000)"
            }
        }

        mutating func string() -> String {
            let pieces = ["a", "key", "é", "\\\"", "\\\\", "\\n", "\\u00e9", " ", "\\/", "日本", "x1", "\\t"]
            return (0..<int(6)).map { _ in pieces[int(pieces.count)] }.joined()
        }

        mutating func whitespace() -> String { ["", "", " ", "\n", "\t ", "\r\n  "][int(6)] }

        mutating func value(depth: Int) -> Value {
            switch depth > 3 ? int(4) : int(6) {
            case 0: .number(number())
            case 1: .bool(int(2) == 0)
            case 2: int(4) == 0 ? .null : .string(string())
            case 3: .string(string())
            case 4: .array((0..<int(4)).map { _ in value(depth: depth + 1) })
            default: .object((0..<int(4)).map { _ in ("k\(int(5))", value(depth: depth + 1)) })
            }
        }

        mutating func text(_ value: Value) -> String {
            switch value {
            case .number(let text): return text
            case .bool(let flag): return flag ? "true" : "false"
            case .null: return "null"
            case .string(let text): return "\"\(text)\""
            case .array(let elements):
                return "[" + elements.map { whitespace() + text($0) + whitespace() }.joined(separator: ",") + "]"
            case .object(let members):
                return "{" + members.map { whitespace() + "\"\($0.0)\"" + whitespace() + ":" + whitespace() + text($0.1) + whitespace() }
                    .joined(separator: ",") + "}"
            }
        }
    }

    /// Foundation's value at `path`: a number (booleans read as 1 and 0), or `nil` when absent or
    /// `null` on the way.
    static func foundationValue(_ object: Any?, path: [String]) -> Double? {
        var current = object
        for key in path {
            current = (current as? [String: Any])?[key]
        }
        return (current as? NSNumber)?.doubleValue
    }

    enum Expectation: Equatable {
        case missing
        case wrongType
        case outOfRange
        case number(String)
        case boolean(Bool)

        var isFailure: Bool { self == .wrongType || self == .outOfRange }
    }

    /// What the decoder must make of `path` in `value`: the last duplicate wins, but a wrong type
    /// or an out-of-range number in any occurrence fails the event.
    static func expectation(_ value: Value, path: ArraySlice<String>) -> Expectation {
        guard let key = path.first else {
            switch value {
            case .number(let text): return Float(text)!.isInfinite ? .outOfRange : .number(text)
            case .bool(let flag): return .boolean(flag)
            case .null: return .missing
            default: return .wrongType
            }
        }
        switch value {
        case .null: return .missing
        case .object(let members):
            let occurrences = members.filter { $0.0 == key }.map { expectation($0.1, path: path.dropFirst()) }
            return occurrences.first(where: \.isFailure) ?? occurrences.last ?? .missing
        default: return .wrongType
        }
    }

    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        let paths = [["k1"], ["k2", "k3"], ["k4", "k0", "k1"]]
        let spec = FeatureSpec(paths.map { .init(path: $0.joined(separator: "."), defaultValue: -7) })
        let decoder = try FeatureDecoder(spec: spec)
        var generator = Generator(random: SplitMix64(seed: 11))
        var checked = 0
        var rejected: [FeatureDecodingError.Kind: Int] = [:]
        for _ in 0..<2_000 {
            let document = Value.object((0..<generator.int(7)).map { _ in ("k\(generator.int(5))", generator.value(depth: 1)) })
            let text = generator.whitespace() + generator.text(document) + generator.whitespace()
            let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let expected = paths.map { Self.expectation(document, path: $0[...]) }
            do {
                let row = try decoder.decode(text)
                let anyFailure = expected.contains { $0.isFailure }
                #expect(!anyFailure, "\(text)")
                for (index, expectation) in expected.enumerated() {
                    let foundation = Self.foundationValue(parsed, path: paths[index])
                    switch expectation {
                    case .missing, .wrongType, .outOfRange:
                        #expect(row[index] == -7, "\(text) at \(paths[index])")
                        #expect(foundation == nil, "\(text) at \(paths[index])")
                    case .boolean(let flag):
                        #expect(row[index] == (flag ? 1 : 0), "\(text) at \(paths[index])")
                        #expect(foundation == (flag ? 1 : 0), "\(text) at \(paths[index])")
                    case .number(let number):
                        #expect(row[index].bitPattern == Float(number)!.bitPattern, "\(number)")
                        let rounded = Float(foundation ?? .nan)
                        #expect([rounded.nextDown, rounded, rounded.nextUp].contains(row[index]), "\(text) at \(paths[index])")
                    }
                }
                checked += 1
            } catch {
                let kinds: [FeatureDecodingError.Kind: Expectation] = [.wrongType: .wrongType, .outOfRange: .outOfRange]
                #expect(kinds[error.kind].map(expected.contains) == true, "\(text): \(error)")
                rejected[error.kind, default: 0] += 1
            }
        }
        #expect(checked > 400, "both decoded and rejected documents must be exercised")
        #expect(rejected[.wrongType, default: 0] > 100 && rejected[.outOfRange, default: 0] >= 5, "\(rejected)")
    }

    @Test func rejectsExactlyTheDocumentsJSONSerializationRejects() throws {
        let decoder = try FeatureDecoder(spec: FeatureSpec([.init(path: "never.present", defaultValue: 0)]))
        var generator = Generator(random: SplitMix64(seed: 12))
        let insertions: [UInt8] = Array(#"{}[]:,"\ 0-e.1tfnu"#.utf8)
        var rejected = 0
        for _ in 0..<4_000 {
            var bytes = Array(generator.text(.object([("k1", generator.value(depth: 1)), ("k2", generator.value(depth: 1))])).utf8)
            for _ in 0..<(1 + generator.int(2)) {
                let position = generator.int(bytes.count)
                if generator.int(2) == 0 {
                    bytes.remove(at: position)
                } else {
                    bytes.insert(insertions[generator.int(insertions.count)], at: position)
                }
            }
            // Foundation accepts trailing commas and rejects invalid UTF-8, where Sluice follows
            // RFC 8259 and leaves string contents alone: those documents are not comparable.
            let text = String(decoding: bytes, as: UTF8.self)
            guard Array(text.utf8) == bytes, text.firstMatch(of: /,\s*[}\]]/) == nil else { continue }
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            do {
                _ = try decoder.decode(bytes)
                #expect(foundation is [String: Any], "\(String(decoding: bytes, as: UTF8.self))")
            } catch {
                if error.kind == .invalidJSON {
                    rejected += 1
                    #expect(foundation == nil, "\(String(decoding: bytes, as: UTF8.self)): \(error)")
                } else {
                    #expect(error.kind == .wrongType)
                    #expect(foundation != nil && !(foundation is [String: Any]), "\(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        #expect(rejected > 1_000)
    }
}
