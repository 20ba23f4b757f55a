import Foundation
import Testing
@testable import SluicePipeline

/// The one escaper: every JSON text Sluice writes quotes strings through ``JSONString``.
@Suite struct JSONStringTests {
    @Test func quotedTextEscapesQuotesBackslashesAndEveryControlCharacterAndReadsBackAsTheSameString() throws {
        let text = "say \"hi\"\\\u{08}\u{0C}\n\r\t\u{01}\u{1F} é ✓"
        let quoted = JSONString.quoted(text)
        #expect(quoted == #""say \"hi\"\\\b\f\n\r\t\u0001\u001f é ✓""#)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8), options: []) as? [String]
        #expect(decoded == [text])
    }

    @Test func theRecordsBufferAndTheHandWrittenTextsQuoteAlike() {
        let text = "model \"a\"\u{7}"
        var buffer = JSONBuffer()
        buffer.append(string: text)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == JSONString.quoted(text))
    }
}
