#include "sluice_sha256.h"

#include <string.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

typedef void (*compress_function)(uint32_t state[8], const uint8_t *blocks, size_t count);

static inline uint32_t rotate_right(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_big_endian(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void compress_portable(uint32_t state[8], const uint8_t *blocks, size_t count) {
    for (; count > 0; count--, blocks += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) w[t] = load_big_endian(blocks + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotate_right(w[t - 15], 7) ^ rotate_right(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotate_right(w[t - 2], 17) ^ rotate_right(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
            uint32_t choose = (e & f) ^ (~e & g);
            uint32_t t1 = h + s1 + choose + round_constants[t] + w[t];
            uint32_t s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
            uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = s0 + majority;
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

/// The SHA extensions keep the state as two registers, ABEF and CDGH, and take four message
/// words (plus round constants) per pair of rounds instructions.
typedef struct {
    __m128i abef, cdgh;
} sha_extensions_state;

__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline sha_extensions_state load_state(const uint32_t state[8]) {
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    return (sha_extensions_state){_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0)};
}

__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void store_state(sha_extensions_state s, uint32_t state[8]) {
    __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

/// Four rounds: the message words of `group` (loaded or scheduled into `words`), then two
/// rounds instructions.
__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void four_rounds(sha_extensions_state *s, __m128i words[4], int group, const uint8_t *block) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i current;
    if (group < 4) {
        current = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * group)), byte_swap);
    } else {
        // w[t] = w[t-16] + σ0(w[t-15]) + w[t-7] + σ1(w[t-2]), four words at a time.
        __m128i partial = _mm_sha256msg1_epu32(words[group & 3], words[(group + 1) & 3]);
        partial = _mm_add_epi32(partial, _mm_alignr_epi8(words[(group + 3) & 3], words[(group + 2) & 3], 4));
        current = _mm_sha256msg2_epu32(partial, words[(group + 3) & 3]);
    }
    words[group & 3] = current;
    __m128i message = _mm_add_epi32(current, _mm_loadu_si128((const __m128i *)&round_constants[4 * group]));
    s->cdgh = _mm_sha256rnds2_epu32(s->cdgh, s->abef, message);
    s->abef = _mm_sha256rnds2_epu32(s->abef, s->cdgh, _mm_shuffle_epi32(message, 0x0E));
}

__attribute__((target("sha,sse4.1,ssse3")))
static void compress_sha_extensions(uint32_t state[8], const uint8_t *blocks, size_t count) {
    sha_extensions_state s = load_state(state);
    for (; count > 0; count--, blocks += 64) {
        const sha_extensions_state before = s;
        __m128i words[4];
        for (int group = 0; group < 16; group++) four_rounds(&s, words, group, blocks);
        s.abef = _mm_add_epi32(s.abef, before.abef);
        s.cdgh = _mm_add_epi32(s.cdgh, before.cdgh);
    }
    store_state(s, state);
}

/// One block of each of two messages, their rounds interleaved: each rounds instruction waits
/// for the one before it, so a single message leaves the unit idle half the time.
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_two_sha_extensions(uint32_t state_a[8], const uint8_t *block_a, uint32_t state_b[8], const uint8_t *block_b) {
    sha_extensions_state a = load_state(state_a), b = load_state(state_b);
    const sha_extensions_state a_before = a, b_before = b;
    __m128i words_a[4], words_b[4];
    for (int group = 0; group < 16; group++) {
        four_rounds(&a, words_a, group, block_a);
        four_rounds(&b, words_b, group, block_b);
    }
    a.abef = _mm_add_epi32(a.abef, a_before.abef);
    a.cdgh = _mm_add_epi32(a.cdgh, a_before.cdgh);
    b.abef = _mm_add_epi32(b.abef, b_before.abef);
    b.cdgh = _mm_add_epi32(b.cdgh, b_before.cdgh);
    store_state(a, state_a);
    store_state(b, state_b);
}

static int cpu_has_sha_extensions(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int ssse3 = 1u << 9, sse41 = 1u << 19;
    if ((ecx & (ssse3 | sse41)) != (ssse3 | sse41)) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 29)) != 0;
}
#else
static void compress_sha_extensions(uint32_t state[8], const uint8_t *blocks, size_t count) {
    compress_portable(state, blocks, count);
}
static void compress_two_sha_extensions(uint32_t state_a[8], const uint8_t *block_a, uint32_t state_b[8], const uint8_t *block_b) {
    compress_portable(state_a, block_a, 1);
    compress_portable(state_b, block_b, 1);
}
static int cpu_has_sha_extensions(void) { return 0; }
#endif

int sluice_sha256_uses_sha_extensions(void) {
    static int answer = -1;  // A benign race: every thread computes the same value.
    if (answer < 0) answer = cpu_has_sha_extensions();
    return answer;
}

/// A message as the blocks the compression takes: its whole 64-byte blocks in place, then one
/// or two final blocks with the rest, the 0x80 marker, zeros and the length in bits.
typedef struct {
    const uint8_t *bytes;
    size_t whole_blocks;
    size_t blocks;
    uint8_t tail[128];
} padded_message;

static void pad(padded_message *message, const void *data, size_t length) {
    message->bytes = data;
    message->whole_blocks = length / 64;
    memset(message->tail, 0, sizeof message->tail);
    const size_t rest = length % 64;
    if (rest > 0) memcpy(message->tail, message->bytes + 64 * message->whole_blocks, rest);
    message->tail[rest] = 0x80;
    const size_t tail_length = rest < 56 ? 64 : 128;
    const uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) message->tail[tail_length - 1 - i] = (uint8_t)(bits >> (8 * i));
    message->blocks = message->whole_blocks + tail_length / 64;
}

static const uint8_t *block(const padded_message *message, size_t index) {
    return index < message->whole_blocks ? message->bytes + 64 * index : message->tail + 64 * (index - message->whole_blocks);
}

static void hash_with(compress_function compress, const void *data, size_t length, uint32_t digest[8]) {
    padded_message message;
    pad(&message, data, length);
    memcpy(digest, initial_state, sizeof initial_state);
    if (message.whole_blocks > 0) compress(digest, message.bytes, message.whole_blocks);
    compress(digest, message.tail, message.blocks - message.whole_blocks);
}

void sluice_sha256_pair(const void *data_a, size_t length_a, uint32_t digest_a[8], const void *data_b, size_t length_b, uint32_t digest_b[8]) {
    if (!sluice_sha256_uses_sha_extensions()) {
        hash_with(compress_portable, data_a, length_a, digest_a);
        hash_with(compress_portable, data_b, length_b, digest_b);
        return;
    }
    padded_message a, b;
    pad(&a, data_a, length_a);
    pad(&b, data_b, length_b);
    memcpy(digest_a, initial_state, sizeof initial_state);
    memcpy(digest_b, initial_state, sizeof initial_state);
    const size_t together = a.blocks < b.blocks ? a.blocks : b.blocks;
    for (size_t index = 0; index < together; index++) {
        compress_two_sha_extensions(digest_a, block(&a, index), digest_b, block(&b, index));
    }
    for (size_t index = together; index < a.blocks; index++) compress_sha_extensions(digest_a, block(&a, index), 1);
    for (size_t index = together; index < b.blocks; index++) compress_sha_extensions(digest_b, block(&b, index), 1);
}

void sluice_sha256(const void *data, size_t length, uint32_t digest[8]) {
    hash_with(sluice_sha256_uses_sha_extensions() ? compress_sha_extensions : compress_portable, data, length, digest);
}

void sluice_sha256_portable(const void *data, size_t length, uint32_t digest[8]) {
    hash_with(compress_portable, data, length, digest);
}
