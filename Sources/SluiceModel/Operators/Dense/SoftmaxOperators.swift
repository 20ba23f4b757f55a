import Foundation
import SluiceKernels

/// `Softmax` and `LogSoftmax`. Before opset 13 they flatten the input to 2-D at `axis` (default 1)
/// and normalise each row; from 13 they normalise along the single `axis` (default -1).
let softmaxOperators: [OperatorDefinition] = [
    softmaxDefinition("Softmax", logarithmic: false, opsets: 1...12),
    softmaxDefinition("Softmax", logarithmic: false, opsets: since(13)),
    softmaxDefinition("LogSoftmax", logarithmic: true, opsets: 1...12),
    softmaxDefinition("LogSoftmax", logarithmic: true, opsets: since(13)),
]

private func softmaxDefinition(_ opType: String, logarithmic: Bool, opsets: ClosedRange<Int>) -> OperatorDefinition {
    OperatorDefinition(opType: opType, opsets: opsets) { context in
        let input = try context.input(0, ofType: [.float, .double])
        guard let rank = input.rank else { throw OperatorError("\(opType) needs an input of known rank") }
        let flattens = context.opset < 13
        let axis = try normalizedAxis(Int(try context.node.int("axis", default: flattens ? 1 : -1)), rank: max(rank, 1))
        return CompiledNode(
            operation: SoftmaxNode(axis: axis, flattens: flattens, logarithmic: logarithmic),
            outputs: [ValueInfo(elementType: input.elementType, shape: input.shape)]
        )
    }
}

struct SoftmaxNode: CompiledOperator {
    let axis: Int
    /// Opset < 13: every dimension from `axis` on is one row.
    let flattens: Bool
    let logarithmic: Bool

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let shape = inputs[0].shape
        let outer = shape.prefix(axis).reduce(1, *)
        let middle = flattens ? shape.dropFirst(axis).reduce(1, *) : (shape.isEmpty ? 1 : shape[axis])
        let inner = flattens ? 1 : shape.dropFirst(axis + 1).reduce(1, *)
        if inputs[0].elementType == .double {
            try runDouble(inputs[0], outer: outer, middle: middle, inner: inner, into: &outputs[0])
            return
        }
        let values = try inputs[0].values(Float.self)
        outputs[0].withMutableFloats(shape: shape) { output in
            guard !values.isEmpty else { return }
            values.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    softmax(input.baseAddress!, output.baseAddress!, outer: outer, axis: middle, inner: inner, logarithmic: logarithmic)
                }
            }
        }
    }
}

extension SoftmaxNode {
    /// Softmax of doubles, which only generated test graphs use: plain loops in double precision.
    private func runDouble(_ input: Tensor, outer: Int, middle: Int, inner: Int, into output: inout Tensor) throws {
        let values = try input.values(Double.self)
        output.withMutableValues(Double.self, shape: input.shape, filler: 0) { output in
            for block in 0..<outer {
                for column in 0..<inner {
                    let base = block * middle * inner + column
                    var maximum = -Double.infinity
                    for index in 0..<middle { maximum = max(maximum, values[base + index * inner]) }
                    var sum = 0.0
                    for index in 0..<middle { sum += Foundation.exp(values[base + index * inner] - maximum) }
                    for index in 0..<middle {
                        let shifted = values[base + index * inner] - maximum
                        output[base + index * inner] = logarithmic ? shifted - Foundation.log(sum) : Foundation.exp(shifted) / sum
                    }
                }
            }
        }
    }
}
