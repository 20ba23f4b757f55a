// VectorMath and FusedActivation live in their own module so that the AVX2 kernels can inline
// them; users of SluiceKernels see them as part of it.
@_exported import SluiceVectorMath
