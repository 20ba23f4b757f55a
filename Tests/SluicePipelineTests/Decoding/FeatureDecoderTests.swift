import Testing
@testable import SluicePipeline

@Suite struct FeatureDecoderTests {
    let demo = try! decoder(
        .init(path: "amount"),
        .init(path: "features", length: 3),
        .init(path: "merchant_risk", defaultValue: 0.5),
        .init(path: "hour")
    )

    @Test func decodesFeaturesInSpecOrderWhateverTheEventOrder() throws {
        let row = try demo.decode(#"{"hour":13,"event_id":"e-1","features":[0.25,-1.5,3e2],"merchant_risk":0.3,"amount":123.45}"#)
        #expect(row == [123.45, 0.25, -1.5, 300, 0.3, 13])
    }

    @Test func readsNestedPathsAndSkipsUnrelatedSiblings() throws {
        let nested = try decoder(.init(path: "card.risk.score"), .init(path: "card.age"), .init(path: "amount"))
        let row = try nested.decode(
            #"{"card":{"id":"c\"1","risk":{"band":[1,{"x":[]}],"score":0.75},"age":3},"other":{"risk":{"score":9}},"amount":2}"#
        )
        #expect(row == [0.75, 3, 2])
    }

    @Test func readsBooleansAsOneAndZero() throws {
        let flags = try decoder(.init(path: "a"), .init(path: "b"), .init(path: "v", length: 2))
        #expect(try flags.decode(#"{"a":true,"b":false,"v":[false,true]}"#) == [1, 0, 0, 1])
    }

    @Test func fillsDefaultsForAbsentAndNullFields() throws {
        let withDefaults = try decoder(
            .init(path: "a", defaultValue: 7),
            .init(path: "v", length: 2, defaultValue: -1),
            .init(path: "o.x", defaultValue: 4)
        )
        #expect(try withDefaults.decode(#"{}"#) == [7, -1, -1, 4])
        #expect(try withDefaults.decode(#"{"a":null,"v":[null,2],"o":null}"#) == [7, -1, 2, 4])
        #expect(try withDefaults.decode(#"{"a":1,"v":null,"o":{}}"#) == [1, -1, -1, 4])
    }

    @Test func toleratesWhitespaceEverywhereTheGrammarAllows() throws {
        let row = try demo.decode(" \n\t{ \"amount\" :\r 1 , \"features\" : [ 1 ,\n2 , 3 ] , \"hour\" : 0 }\n ")
        #expect(row == [1, 1, 2, 3, 0.5, 0])
    }

    @Test func skipsStringsWithEveryKindOfEscape() throws {
        let row = try demo.decode(
            #"{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00 long enough to cross eight-byte words \"","amount":1,"features":[1,2,3],"hour":2}"#
        )
        #expect(row == [1, 1, 2, 3, 0.5, 2])
    }

    @Test func matchesEscapedKeysAfterUnescaping() throws {
        let row = try demo.decode(#"{"am\u006funt":5,"\u0066eatures":[1,2,3],"hour":1}"#)
        #expect(row == [5, 1, 2, 3, 0.5, 1])
        let unicode = try decoder(.init(path: "prix€"))
        #expect(try unicode.decode(#"{"prix\u20ac":3}"#) == [3])
        #expect(unicode.failure(#"{"prix\u20ad":3}"#)?.kind == .missingFeature, "a different key must not match")
    }

    @Test func letsTheLastDuplicateKeyWin() throws {
        #expect(demo.failure(#"{"amount":1,"amount":2,"features":[1,2,3],"hour":1,"hour":null}"#)?.kind == .missingFeature)
        #expect(try demo.decode(#"{"amount":1,"amount":2,"features":[9,9,9],"features":[1,2,3],"hour":1}"#) == [2, 1, 2, 3, 0.5, 1])
        let nested = try decoder(.init(path: "o.x", defaultValue: 4), .init(path: "o.y"))
        #expect(try nested.decode(#"{"o":{"x":1,"y":2},"o":{"y":3}}"#) == [4, 3])
    }

    @Test func reportsAWrongTypeEvenInAnOverriddenDuplicate() {
        #expect(demo.failure(#"{"amount":"1","amount":2,"features":[1,2,3],"hour":1}"#)?.kind == .wrongType)    }

    @Test func readsNumbersExactlyAsFloatParsingDoes() throws {
        let single = try decoder(.init(path: "x"))
        let texts = [
            "0", "-0", "1", "-1", "0.1", "123.45", "1e3", "1E+3", "1e-3", "-2.5e-7", "3.4028235e38", "3.40282356e38",
            "-340282356779733661637539395458142568447", "1e-45", "1.4e-45", "1e-46", "1e-400", "-1e-4000", "1.17549435e-38",
            "16777217", "16777216.5", "0.30000001192092896",
            "12345678901234567890123", "0.000000000000000000000000000001", "9007199254740993", "1.00000000000000000000001",
            "4.7019774e-38", "7.038531e-26", "2.2250738585072014e-308", "100000000000000000000000000000000000000",
        ]
        for text in texts {
            let row = try single.decode("{\"x\":\(text)}")
            let expected = Float(text)!
            #expect(row[0].bitPattern == expected.bitPattern, "\(text): \(row[0]) != \(expected)")
        }
    }

    @Test func readsRandomNumbersExactlyAsFloatParsingDoes() throws {
        let single = try decoder(.init(path: "x"))
        var random = SplitMix64(seed: 7)
        for _ in 0..<50_000 {
            let text: String
            switch random.next() % 5 {
            case 0: text = "\(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())).magnitude)"
            case 1: text = "\(Double(bitPattern: random.next() >> 2))"
            case 2: text = "\(Int64(bitPattern: random.next()) >> Int(random.next() % 60))"
            case 3:
                let digits = (0..<Int(random.next() % 12 + 1)).map { _ in String(random.next() % 10) }.joined()
                text = "\(random.next() % 1000).\(digits)e\(Int(random.next() % 90) - 45)"
            default:
                text = String(format4: Double(random.next() % 10_000_000) / 10_000 - 500)
            }
            guard let expected = Float(text), !expected.isNaN, !text.contains("inf") else { continue }
            if expected.isInfinite {
                #expect(single.failure("{\"x\":\(text)}")?.kind == .outOfRange, "\(text)")
                continue
            }
            let row = try single.decode("{\"x\":\(text)}")
            #expect(row[0].bitPattern == expected.bitPattern, "\(text)")
        }
    }

    /// Numbers with at least sixteen bytes after them take the one-pass path for short decimals.
    @Test func readsNumbersFollowedByMoreOfTheEventExactlyAsFloatParsingDoes() throws {
        let single = try decoder(.init(path: "x"))
        var random = SplitMix64(seed: 11)
        var texts = [
            "0", "-0", "7", "-7", "0.5", "-0.0001", "1234567", "-1234567.1234567", "9999999.9999999", "16777217", "0.30000001",
            "-2.123456789", "0.000000000000001", "1234567.123456789012", "9999999.999999999999", "1.1234567812345678",
        ]
        for _ in 0..<50_000 {
            let integer = random.next() % 10_000_000 >> (random.next() % 24)
            let fraction = (0..<Int(random.next() % 18)).map { _ in String(random.next() % 10) }.joined()
            let sign = random.next() % 2 == 0 ? "-" : ""
            texts.append(fraction.isEmpty ? "\(sign)\(integer)" : "\(sign)\(integer).\(fraction)")
        }
        for text in texts {
            let row = try single.decode("{\"x\":\(text),\"padding\":\"0123456789abcdef\"}")
            #expect(row[0].bitPattern == Float(text)!.bitPattern, "\(text)")
        }
    }

    @Test func rejectsMalformedNumbersFollowedByMoreOfTheEvent() throws {
        let single = try decoder(.init(path: "x"))
        for text in ["01", "-01.5", "1.", "1.,", "-", "-a", "1.e5", "00", "1e", "1.5e+"] {
            let short = single.failure("{\"x\":\(text)}")
            let padded = single.failure("{\"x\":\(text),\"padding\":\"0123456789abcdef\"}")
            #expect(padded?.kind == .invalidJSON, "\(text)")
            #expect(padded?.offset == short?.offset, "\(text)")
        }
    }
}

extension String {
    /// Four decimals, as the demo's generator writes its features.
    init(format4 value: Double) {
        let scaled = Int64((value * 10_000).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let fraction = String(magnitude % 10_000)
        self = "\(sign)\(magnitude / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}
