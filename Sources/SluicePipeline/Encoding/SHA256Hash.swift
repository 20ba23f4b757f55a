import Crypto

/// A SHA-256 hash held inline (no allocation), for the audit records' payload, model and
/// feature-row fingerprints.
public struct SHA256Hash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, as four big-endian words.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The hash of `bytes`.
    public init(of bytes: UnsafeRawBufferPointer) {
        self.init(SHA256.hash(data: bytes))
    }

    /// The hash of a float row's bytes (IEEE 754 binary32, little-endian, as in memory on every
    /// platform Sluice runs on).
    public init(ofRow row: UnsafeBufferPointer<Float>) {
        self.init(of: UnsafeRawBufferPointer(row))
    }

    public init(_ digest: SHA256Digest) {
        words = digest.withUnsafeBytes { bytes in
            (
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            )
        }
    }

    public static func == (lhs: SHA256Hash, rhs: SHA256Hash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Lower-case hex, 64 characters.
    public var description: String {
        var text = ""
        for word in [words.0, words.1, words.2, words.3] {
            let hex = String(word, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }
}
