#ifndef SLUICE_FUZZ_DRIVER_H
#define SLUICE_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line's options on `test_one_input`, then exits with its status.
///
/// SwiftPM gives an executable target's `main` to its top-level code, so the fuzz targets cannot
/// let libFuzzer's own `main` run; they call this instead (libFuzzer's `LLVMFuzzerRunDriver`).
_Noreturn void sluice_fuzz_main(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
