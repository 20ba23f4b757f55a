import CSluiceSHA256
import Crypto
import Testing
@testable import SluicePipeline

@Suite struct SHA256HashTests {
    /// swift-crypto's (BoringSSL's) SHA-256 of `bytes`, as lower-case hex.
    func reference(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    func portable(_ bytes: [UInt8]) -> String {
        var digest = [UInt32](repeating: 0, count: 8)
        bytes.withUnsafeBytes { sluice_sha256_portable($0.baseAddress, $0.count, &digest) }
        return SHA256Hash(words: (
            UInt64(digest[0]) << 32 | UInt64(digest[1]), UInt64(digest[2]) << 32 | UInt64(digest[3]),
            UInt64(digest[4]) << 32 | UInt64(digest[5]), UInt64(digest[6]) << 32 | UInt64(digest[7])
        )).description
    }

    @Test func matchesFIPSExamples() {
        #expect(SHA256Hash(of: UnsafeRawBufferPointer(start: nil, count: 0)).description
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Array("abc".utf8).withUnsafeBytes { SHA256Hash(of: $0) }.description
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(twoBlocks.withUnsafeBytes { SHA256Hash(of: $0) }.description
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// Every length across the padding's one- and two-block cases and several whole blocks, on
    /// the path this CPU takes (the SHA extensions on most x86-64 machines) and the portable one.
    @Test func agreesWithSwiftCryptoOnEveryLengthUpTo300Bytes() {
        var random = SplitMix64(seed: 256)
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let expected = reference(bytes)
            #expect(bytes.withUnsafeBytes { SHA256Hash(of: $0) }.description == expected, "length \(length)")
            #expect(portable(bytes) == expected, "portable, length \(length)")
        }
    }

    /// Pairs of every combination of lengths around the block boundaries, so that either message
    /// may end first, with one or two final blocks.
    @Test func aPairHashesLikeEachAlone() {
        var random = SplitMix64(seed: 512)
        let lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200, 272, 300]
        for firstLength in lengths {
            for secondLength in lengths {
                let first = (0..<firstLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let second = (0..<secondLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let (firstHash, secondHash) = first.withUnsafeBytes { a in second.withUnsafeBytes { b in SHA256Hash.pair(a, b) } }
                #expect(firstHash.description == reference(first), "lengths \(firstLength), \(secondLength)")
                #expect(secondHash.description == reference(second), "lengths \(firstLength), \(secondLength)")
            }
        }
    }

    @Test func hashesAFeatureRowAsItsLittleEndianFloatBytes() {
        let row: [Float] = [1, -0.5, 3.25e7, .leastNonzeroMagnitude]
        let bytes = row.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        #expect(row.withUnsafeBufferPointer { SHA256Hash(ofRow: $0) }.description == reference(bytes))
    }
}
