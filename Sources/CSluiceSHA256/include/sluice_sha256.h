#ifndef SLUICE_SHA256_H
#define SLUICE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// The SHA-256 (FIPS 180-4) of `length` bytes at `data`, as its eight 32-bit words H0…H7
/// (the digest is their big-endian bytes in that order).
///
/// Uses the x86 SHA extensions where the CPU has them, portable C otherwise. No allocation:
/// Sluice hashes every input payload and feature row with it, on the processor's loop.
void sluice_sha256(const void *data, size_t length, uint32_t digest[8]);

/// The SHA-256 of two messages at once, each as `sluice_sha256` gives it. With the SHA
/// extensions their rounds interleave, which takes little longer than one message alone.
void sluice_sha256_pair(const void *data_a, size_t length_a, uint32_t digest_a[8], const void *data_b, size_t length_b, uint32_t digest_b[8]);

/// Whether `sluice_sha256` runs on the x86 SHA extensions on this CPU.
int sluice_sha256_uses_sha_extensions(void);

/// `sluice_sha256` without the SHA extensions, whatever the CPU, so that tests can check the
/// portable path on machines that have them.
void sluice_sha256_portable(const void *data, size_t length, uint32_t digest[8]);

#endif
