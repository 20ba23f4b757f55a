import Crypto
import Foundation
import SluiceKernels

/// A loaded, validated and planned ONNX model, ready to predict.
///
/// Loading parses the file, rejects everything Sluice cannot run (listing every unsupported node at
/// once), compiles each node onto Sluice's kernels, folds what is constant and plans the buffers.
/// A `Model` is immutable and `Sendable`: share one between threads and give each thread its own
/// ``ModelSession`` (from ``makeSession()``), which owns the reusable buffers.
public final class Model: Sendable {
    public let identity: ModelIdentity
    /// The inputs a prediction must supply, in the model's order (initializers excluded).
    public let inputs: [ModelValue]
    /// The outputs a prediction returns, in the model's order.
    public let outputs: [ModelValue]
    /// Every operator the graph uses, with how many nodes use it.
    public let operators: [OperatorUse]
    /// Whether predictions accept NaN in float inputs (see ``MissingValuePolicy``).
    public let acceptsMissingValues: Bool
    let plan: ExecutionPlan

    /// Loads the model in the ONNX file at `path`.
    /// - Throws: ``ModelLoadError`` naming the file and every problem found.
    public convenience init(contentsOf path: String, options: ModelOptions = ModelOptions()) throws {
        let bytes = try Self.readFile(path)
        try self.init(bytes: bytes, source: path, options: options)
    }

    /// Loads a model from the bytes of an ONNX file; `source` names it in errors, and its last path
    /// component without `.onnx` is the model's name unless the metadata gives one.
    public init(bytes: [UInt8], source: String, options: ModelOptions = ModelOptions()) throws {
        let parsed = try ParsedModel(bytes: bytes, source: source)
        let graph = try GraphPlanner.plan(parsed, options: options)
        identity = parsed.identity
        inputs = graph.inputs
        outputs = graph.outputs
        operators = parsed.operatorUses(registry: options.registry)
        acceptsMissingValues = switch options.missingValues {
        case .accept: true
        case .reject: false
        case .automatic: parsed.handlesMissingValues
        }
        plan = graph.plan
    }

    /// A new session to predict with. Sessions are cheap; each owns its buffers.
    public func makeSession() -> ModelSession { ModelSession(model: self) }

    /// The number of features per row when the model has a single float input of shape `[N, F]`
    /// with `F` fixed, the shape ``ModelSession/predict(features:rows:)`` feeds.
    public var featureCount: Int? {
        guard inputs.count == 1, inputs[0].info.elementType == .float,
              let shape = inputs[0].info.shape, shape.count == 2 else { return nil }
        return shape[1].fixedSize
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "the file cannot be read" : "no such file"
            throw ModelLoadError(source: path, reason)
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw ModelLoadError(source: path, "reading the file failed: \(error)")
        }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// One operator type a model uses, and whether Sluice implements it at the imported opset.
public struct OperatorUse: Sendable, Hashable {
    public var domain: String
    public var opType: String
    /// The imported opset version of `domain`, or `nil` when the model does not import the domain.
    public var opset: Int?
    public var nodeCount: Int
    public var isSupported: Bool
}
