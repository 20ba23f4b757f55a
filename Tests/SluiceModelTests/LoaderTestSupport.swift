import Foundation
import SluiceKernels
@testable import SluiceModel

/// The fixture models beside this file, made by Fixtures/make_fixtures.py.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }
}

/// A registry of two plain operators, so the loader and runtime are tested on their own, apart
/// from the real kernels: `Add` of a `[N, F]` tensor and either the same shape or an `[F]` vector,
/// and `Relu`.
enum TestOperators {
    static let registry = OperatorRegistry([
        OperatorDefinition(opType: "Add", opsets: 7...22) { context in
            let left = try context.requiredInput(0)
            return CompiledNode(operation: Add(), outputs: [ValueInfo(elementType: .float, shape: left.shape)])
        },
        OperatorDefinition(opType: "Relu", opsets: 6...22) { context in
            let input = try context.requiredInput(0)
            return CompiledNode(operation: Relu(), outputs: [ValueInfo(elementType: .float, shape: input.shape)])
        },
    ])

    static let options = ModelOptions(registry: registry)

    struct Add: CompiledOperator {
        func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
            guard let left = inputs[0].floats, let right = inputs[1].floats else { throw OperatorError("Add takes floats") }
            guard right.count == left.count || left.count % max(right.count, 1) == 0 else {
                throw OperatorError("shapes \(inputs[0].shape) and \(inputs[1].shape) do not broadcast")
            }
            outputs[0].withMutableFloats(shape: inputs[0].shape) { values in
                for index in values.indices { values[index] = left[index] + right[index % right.count] }
            }
        }
    }

    struct Relu: CompiledOperator {
        func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
            guard let input = inputs[0].floats else { throw OperatorError("Relu takes floats") }
            outputs[0].withMutableFloats(shape: inputs[0].shape) { values in
                for index in values.indices { values[index] = max(input[index], 0) }
            }
        }
    }
}
