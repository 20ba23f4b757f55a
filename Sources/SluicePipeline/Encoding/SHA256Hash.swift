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
        var state = State()
        state.withWords { sluice_sha256(bytes.baseAddress, bytes.count, $0) }
        self.init(state)
    }

    /// The hashes of `first` and `second`, computed together: about as fast as one alone where
    /// the CPU has the SHA extensions.
    public static func pair(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> (SHA256Hash, SHA256Hash) {
        var firstState = State()
        var secondState = State()
        firstState.withWords { firstWords in
            secondState.withWords { secondWords in
                sluice_sha256_pair(first.baseAddress, first.count, firstWords, second.baseAddress, second.count, secondWords)
            }
        }
        return (SHA256Hash(firstState), SHA256Hash(secondState))
    }

    /// The eight 32-bit words H0…H7 as `CSluiceSHA256` writes them.
    private struct State {
        var words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)

        mutating func withWords(_ body: (UnsafeMutablePointer<UInt32>) -> Void) {
            withUnsafeMutableBytes(of: &words) { body($0.baseAddress!.assumingMemoryBound(to: UInt32.self)) }
        }
    }

    private init(_ state: State) {
        func word(_ high: UInt32, _ low: UInt32) -> UInt64 { UInt64(high) << 32 | UInt64(low) }
        let h = state.words
        words = (word(h.0, h.1), word(h.2, h.3), word(h.4, h.5), word(h.6, h.7))
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
