import Testing
import SluiceKernels

@Test func batchNormalizationMatchesTheReference() {
    var random = SeededRandom(seed: 3)
    let input = random.floats(2 * 3 * 5)
    let gamma = random.floats(3), beta = random.floats(3), mean = random.floats(3)
    let variance = random.floats(3, in: 0.1...2)
    let affine = ChannelAffine(gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-5)
    for (outer, inner) in [(2, 5), (10, 1)] {
        var output = [Float](repeating: .nan, count: input.count)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { affine.apply(x.baseAddress!, $0.baseAddress!, outer: outer, inner: inner) }
        }
        let expected = batchNormalizationReference(input, outer: outer, inner: inner, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-5)
        #expect(isClose(output, expected, tolerance: 1e-5))
    }
}

@Test func layerNormalizationMatchesTheReference() {
    var random = SeededRandom(seed: 4)
    let input = random.floats(7 * 13, in: -3...3)
    let scale = random.floats(13), bias = random.floats(13)
    var output = [Float](repeating: .nan, count: input.count)
    input.withUnsafeBufferPointer { x in
        scale.withUnsafeBufferPointer { s in
            bias.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer {
                    layerNormalization(x.baseAddress!, $0.baseAddress!, rows: 7, width: 13, scale: s, bias: b, epsilon: 1e-5)
                }
            }
        }
    }
    #expect(isClose(output, layerNormalizationReference(input, rows: 7, width: 13, scale: scale, bias: bias, epsilon: 1e-5), tolerance: 1e-5))
}

@Test func transposeReordersAxes() {
    let input = Array(0..<24)
    var output = [Int](repeating: -1, count: 24)
    input.withUnsafeBufferPointer { x in
        output.withUnsafeMutableBufferPointer { transpose(x.baseAddress!, shape: [2, 3, 4], permutation: [2, 0, 1], into: $0.baseAddress!) }
    }
    // output[k, i, j] = input[i, j, k]
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(output[k * 6 + i * 3 + j] == input[i * 12 + j * 4 + k]) } } }
}

@Test func gatherPicksSlicesAlongTheMiddleAxis() {
    let input: [Float] = [1, 2, 3, 4, 5, 6]
    var output = [Float](repeating: 0, count: 4)
    input.withUnsafeBufferPointer { x in
        [2, 0].withUnsafeBufferPointer { indices in
            output.withUnsafeMutableBufferPointer { gather(x.baseAddress!, outer: 2, axis: 3, inner: 1, indices: indices, into: $0.baseAddress!) }
        }
    }
    #expect(output == [3, 1, 6, 4])
}
