#include "sluice_cpu_features.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

bool sluice_cpu_supports_x86_64_v3(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const unsigned int fma = 1u << 12, movbe = 1u << 22, osxsave = 1u << 27, avx = 1u << 28, f16c = 1u << 29;
    const unsigned int leaf1 = fma | movbe | osxsave | avx | f16c;
    if ((ecx & leaf1) != leaf1) return false;
    // The OS must save and restore the XMM and YMM registers (XCR0 bits 1 and 2).
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    const unsigned int bmi1 = 1u << 3, avx2 = 1u << 5, bmi2 = 1u << 8;
    if ((ebx & (bmi1 | avx2 | bmi2)) != (bmi1 | avx2 | bmi2)) return false;
    const unsigned int lzcnt = 1u << 5;
    if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) return false;
    return (ecx & lzcnt) != 0;
}
#else
bool sluice_cpu_supports_x86_64_v3(void) { return false; }
#endif
