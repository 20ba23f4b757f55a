#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error.
public func printError(_ message: String) {
    var line = message
    line += "\n"
    line.withUTF8 { bytes in
        _ = StandardStreams.write(bytes, to: 2)
    }
}

/// Unbuffered reads and writes of the standard file descriptors, for commands that stream bytes.
public enum StandardStreams {
    /// Reads what is available into `buffer` after its current contents, up to `limit` bytes.
    /// Returns the number of bytes read: 0 at end of input.
    public static func read(into buffer: inout [UInt8], limit: Int) throws -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: limit))
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                Glibc.read(0, bytes.baseAddress! + start, limit)
            }
            if count < 0 && errno == EINTR { continue }
            buffer.removeLast(limit - max(count, 0))
            guard count >= 0 else { throw StreamError(message: "reading standard input failed: errno \(errno)") }
            return count
        }
    }

    /// Writes all of `bytes` to `descriptor`; false when the reader has gone away.
    @discardableResult
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    public struct StreamError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
