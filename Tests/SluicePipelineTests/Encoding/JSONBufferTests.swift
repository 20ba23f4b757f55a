import Foundation
import Testing
@testable import SluicePipeline

@Suite struct JSONBufferTests {
    @Test func escapesStringsSoThatParsersReadThemBack() throws {
        var random = SplitMix64(seed: 3)
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{1F}", "é", "😀", "/", "\u{7F}"]
        for _ in 0..<500 {
            let text = String((0..<Int(random.next() % 20)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            var buffer = JSONBuffer()
            buffer.append(string: text)
            let parsed = try JSONSerialization.jsonObject(with: Data(buffer.bytes), options: .fragmentsAllowed) as? String
            #expect(parsed == text)
        }
        var buffer = JSONBuffer()
        buffer.append(string: "a\"b\\c\n\u{01}")
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001""#)
    }

    @Test func writesFloatsInTheShortestFormThatReadsBackExactly() {
        var random = SplitMix64(seed: 4)
        for _ in 0..<20_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            guard value.isFinite else { continue }
            var buffer = JSONBuffer()
            buffer.append(value)
            let text = String(decoding: buffer.bytes, as: UTF8.self)
            #expect(Float(text)?.bitPattern == value.bitPattern, "\(text)")
        }
        var buffer = JSONBuffer()
        buffer.append(Float(0.1))
        buffer.append(raw: ",")
        buffer.append(Float.nan)
        buffer.append(raw: ",")
        buffer.append(-Float.infinity)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "0.1,null,null")
    }

    @Test func writesIntegersAcrossTheirRange() {
        for value: Int64 in [0, 7, -7, 10, 1_234_567_890, .max, .min] {
            var buffer = JSONBuffer()
            buffer.append(value)
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == String(value))
        }
        var buffer = JSONBuffer()
        buffer.append(unsigned: .max)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == String(UInt64.max))
    }

    @Test func writesBase64AsFoundationDoes() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 200) }
            var buffer = JSONBuffer()
            bytes.withUnsafeBytes { buffer.append(base64: $0) }
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == "\"\(Data(bytes).base64EncodedString())\"")
        }
    }

    @Test func writesHashesAsLowerCaseHex() {
        var buffer = JSONBuffer()
        buffer.append(SHA256Hash(words: (0x0123_4567_89AB_CDEF, 0, .max, 0xA)))
        #expect(
            String(decoding: buffer.bytes, as: UTF8.self)
                == "\"0123456789abcdef0000000000000000ffffffffffffffff000000000000000a\""
        )
    }
}
