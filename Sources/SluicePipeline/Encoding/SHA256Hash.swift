import CSluiceSHA256

/// A SHA-256 hash held inline (no allocation), for the audit records' payload, model and
/// feature-row fingerprints.
///
/// Computed by `CSluiceSHA256` (the x86 SHA extensions where the CPU has them) rather than
/// swift-crypto, whose `SHA256.hash(data:)` allocates a context per call and cost the processor's
/// loop more than the hashing itself: two hashes per event.
public struct SHA256Hash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, as four big-endian words.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The hash of `bytes`.
    public init(of bytes: UnsafeRawBufferPointer) {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &state) { digest in
            sluice_sha256(bytes.baseAddress, bytes.count, digest.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        func word(_ high: UInt32, _ low: UInt32) -> UInt64 { UInt64(high) << 32 | UInt64(low) }
        words = (word(state.0, state.1), word(state.2, state.3), word(state.4, state.5), word(state.6, state.7))
    }

    /// The hash of a float row's bytes (IEEE 754 binary32, little-endian, as in memory on every
    /// platform Sluice runs on).
    public init(ofRow row: UnsafeBufferPointer<Float>) {
        self.init(of: UnsafeRawBufferPointer(row))
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
