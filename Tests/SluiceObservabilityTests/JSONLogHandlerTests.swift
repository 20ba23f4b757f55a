import Foundation
import Logging
import SluiceObservability
import Testing

struct JSONLogHandlerTests {
    @Test func eachLineIsOneJSONObjectWithTheMetadataAsFields() throws {
        let capture = LogCapture()
        var logger = Logger(label: "sluice") { JSONLogHandler(label: $0, write: capture.append) }
        logger.logLevel = .debug
        logger[metadataKey: "instance"] = "host:1"
        logger.debug("batch \"scored\"\n", metadata: ["partition": "2", "offset": "41", "message": "clash", "ids": ["a", "b"]])
        logger.trace("below the level")

        let lines = capture.text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "debug")
        #expect(object["logger"] as? String == "sluice")
        #expect(object["message"] as? String == "batch \"scored\"\n")
        #expect(object["partition"] as? String == "2" && object["offset"] as? String == "41")
        #expect(object["instance"] as? String == "host:1")
        #expect(object["metadata.message"] as? String == "clash")
        #expect(object["ids"] as? [String] == ["a", "b"])
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "\(timestamp)")
    }
}
