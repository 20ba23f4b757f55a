#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one `sluice score` input line, `{"features":[…]}` or a bare array of numbers, straight from
/// its bytes into a row of floats. `null` stands for a missing value and becomes NaN.
///
/// Kept deliberately small: it understands exactly these two shapes (an object may carry other
/// keys, which are skipped) and reports the first thing it cannot read with its byte position.
struct FeatureLineParser {
    struct Failure: Error {
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where this line's features start in the row, so messages count features from the line's
    /// first, not the batch's.
    private let rowStart: Int
    private var position = 0

    /// Appends the line's features to `row`; on failure `row` is left as it was.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, into row: inout [Float]) throws(Failure) {
        let start = row.count
        var parser = FeatureLineParser(bytes: line, rowStart: start)
        do {
            try parser.parseLine(into: &row)
        } catch {
            row.removeSubrange(start...)
            throw error
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, rowStart: Int) {
        self.bytes = bytes
        self.rowStart = rowStart
    }

    private mutating func parseLine(into row: inout [Float]) throws(Failure) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "["):
            try parseArray(into: &row)
        case UInt8(ascii: "{"):
            try parseObject(into: &row)
        case nil:
            throw fail("empty line; expected {\"features\":[…]} or an array of numbers")
        default:
            throw fail("expected {\"features\":[…]} or an array of numbers")
        }
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
    }

    private mutating func parseObject(into row: inout [Float]) throws(Failure) {
        position += 1
        var found = false
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            throw fail("the object has no \"features\" array")
        }
        while true {
            skipWhitespace()
            let isFeatures = try parseKeyIsFeatures()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
            position += 1
            skipWhitespace()
            if isFeatures {
                guard !found else { throw fail("\"features\" appears twice") }
                guard peek() == UInt8(ascii: "[") else { throw fail("\"features\" must be an array of numbers") }
                try parseArray(into: &row)
                found = true
            } else {
                try skipValue(depth: 0)
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                guard found else { throw fail("the object has no \"features\" array") }
                return
            default: throw fail("expected ',' or '}' in the object")
            }
        }
    }

    /// Reads a key; keys are compared byte for byte, so an escaped spelling of "features" is not it.
    private mutating func parseKeyIsFeatures() throws(Failure) -> Bool {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
        let start = position + 1
        try skipString()
        let key = UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
        return key.elementsEqual("features".utf8)
    }

    private mutating func parseArray(into row: inout [Float]) throws(Failure) {
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            row.append(try parseNumber(index: row.count - rowStart))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw fail("expected ',' or ']' after feature \(row.count - 1 - rowStart)")
            }
        }
    }

    private mutating func parseNumber(index: Int) throws(Failure) -> Float {
        if matches("null") {
            position += 4
            return .nan
        }
        let start = position
        while let byte = peek(), Self.isNumberByte(byte) { position += 1 }
        let length = position - start
        guard length > 0, length < 64 else { throw fail("feature \(index) is not a number") }
        // strtof rounds correctly but needs a terminated string; a number is short, so it is copied
        // to a small stack buffer rather than terminating the caller's bytes.
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Float? in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[length] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtof(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + length ? value : nil
        }
        guard let value, isJSONNumber(start: start, length: length) else {
            position = start
            throw fail("feature \(index) is not a number")
        }
        return value
    }

    /// JSON forbids what strtof also accepts: hex, `inf`, `nan`, leading `+` or `.`.
    private func isJSONNumber(start: Int, length: Int) -> Bool {
        var index = start
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < start + length, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return false }
        for offset in index..<(start + length) where bytes[offset] == UInt8(ascii: "x") || bytes[offset] == UInt8(ascii: "X") {
            return false
        }
        return true
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth < 64 else { throw fail("the JSON nests too deeply") }
        switch peek() {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let close = peek() == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            let isObject = close == UInt8(ascii: "}")
            position += 1
            skipWhitespace()
            if peek() == close {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                if isObject {
                    try skipString()
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
                    position += 1
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                } else if peek() == close {
                    position += 1
                    return
                } else {
                    throw fail("malformed JSON")
                }
            }
        case UInt8(ascii: "t") where matches("true"): position += 4
        case UInt8(ascii: "f") where matches("false"): position += 5
        case UInt8(ascii: "n") where matches("null"): position += 4
        default:
            let start = position
            while let byte = peek(), Self.isNumberByte(byte) { position += 1 }
            guard position > start else { throw fail("malformed JSON") }
        }
    }

    private mutating func skipString() throws(Failure) {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        position += 1
        while let byte = peek() {
            position += 1
            if byte == UInt8(ascii: "\\") {
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
        throw fail("unterminated string")
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        return UnsafeBufferPointer(rebasing: bytes[position..<(position + count)]).elementsEqual(expected)
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }

    private func fail(_ message: String) -> Failure {
        Failure(message: "\(message) (at byte \(position + 1))")
    }
}
