import CSluiceCPUFeatures

/// The compiled variants of the kernels that have more than one: the GEMM and the activations.
public enum KernelVariant: Sendable, CaseIterable {
    /// `SIMD8<Float>` code for the baseline CPU of the build: SSE2 on x86-64, NEON on arm64.
    case portable
    /// The same code compiled for Haswell: 256-bit registers and fused multiply-adds, and GEMM
    /// tiles of six rows by sixteen columns.
    case avx2

    /// The fastest variant this CPU runs, decided once per process.
    public static let fastest: KernelVariant = sluice_cpu_supports_x86_64_v3() ? .avx2 : .portable

    /// The variants this CPU runs.
    public static var available: [KernelVariant] { fastest == .avx2 ? [.portable, .avx2] : [.portable] }
}
