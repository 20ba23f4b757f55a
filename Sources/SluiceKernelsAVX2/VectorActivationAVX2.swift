import SluiceVectorMath

// The activations compiled for Haswell, as GemmRowBlockAVX2.swift's header describes: on their own
// over a buffer, and as types the GEMM loops are specialised for.

/// `output[i] = activation(input[i])` for `count` floats (the buffers may be the same).
@inline(never)
public func applyActivationAVX2(_ activation: FusedActivation, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
    activation.specialise(ActivationMap(input: input, output: output, count: count))
}

/// ``applyActivationAVX2(_:_:_:count:)``'s buffers, waiting for its activation as a type.
private struct ActivationMap: ActivationSpecialised {
    var input: UnsafePointer<Float>
    var output: UnsafeMutablePointer<Float>
    var count: Int

    @inline(__always)
    func run<Activation: VectorActivation>(_ activation: Activation) {
        VectorMath.map(input, into: output, count: count) { activation($0) }
    }
}

/// `output[i] = e^input[i]` (``VectorMath/exp(_:)``) for `count` floats (the buffers may be the same).
@inline(never)
public func exponentialAVX2(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.map(input, into: output, count: count) { VectorMath.exp($0, FusedMultiplyAdd.self) }
}

/// Loops to run once the activation is known as a type (``FusedActivation/specialise(_:)``).
protocol ActivationSpecialised {
    func run<Activation: VectorActivation>(_ activation: Activation)
}

extension FusedActivation {
    /// Runs `loops` with this activation as a type: one specialised copy of the loops per
    /// activation keeps the switch out of them.
    @inline(__always)
    func specialise(_ loops: some ActivationSpecialised) {
        switch self {
        case .none: loops.run(Identity())
        case .relu: loops.run(Relu())
        case .leakyRelu(let alpha): loops.run(LeakyRelu(alpha: alpha))
        case .sigmoid: loops.run(Sigmoid())
        case .tanh: loops.run(Tanh())
        case .geluExact: loops.run(Gelu())
        }
    }
}

/// An activation as a type, so that each gets its own copy of the loops that apply it.
protocol VectorActivation {
    func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float>
}

struct Identity: VectorActivation {
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { value }
}

struct Relu: VectorActivation {
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { FusedActivation.relu.apply(value, FusedMultiplyAdd.self) }
}

struct LeakyRelu: VectorActivation {
    let alpha: Float
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { FusedActivation.leakyRelu(alpha: alpha).apply(value, FusedMultiplyAdd.self) }
}

struct Sigmoid: VectorActivation {
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { FusedActivation.sigmoid.apply(value, FusedMultiplyAdd.self) }
}

struct Tanh: VectorActivation {
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { FusedActivation.tanh.apply(value, FusedMultiplyAdd.self) }
}

struct Gelu: VectorActivation {
    @inline(__always) func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> { FusedActivation.geluExact.apply(value, FusedMultiplyAdd.self) }
}
