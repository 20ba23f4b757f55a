#ifndef SLUICE_CPU_FEATURES_H
#define SLUICE_CPU_FEATURES_H

#include <stdbool.h>

/// Whether this CPU, and the operating system's saving of vector registers, support the
/// instructions of the x86-64-v3 level (Haswell): AVX2, FMA, BMI1/2, LZCNT, MOVBE and F16C.
/// Always false on other architectures.
bool sluice_cpu_supports_x86_64_v3(void);

#endif
