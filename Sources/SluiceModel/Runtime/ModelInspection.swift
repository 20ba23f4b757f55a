/// What `sluice model inspect` shows: a model's identity, declared interface and operators, and
/// whether Sluice can load it and why not. Unlike ``Model``, it describes unsupported models too.
public struct ModelInspection: Sendable {
    public var identity: ModelIdentity
    /// The graph inputs (initializers excluded) and outputs as the file declares them, described as
    /// `name: type[shape]`; a declaration Sluice cannot read says why instead.
    public var inputs: [(name: String, type: String)]
    public var outputs: [(name: String, type: String)]
    public var operators: [OperatorUse]
    /// Why Sluice cannot load the model; empty when it can.
    public var problems: [ModelProblem]

    public var isSupported: Bool { problems.isEmpty }

    /// Inspects the ONNX file at `path`.
    /// - Throws: ``ModelLoadError`` only when the file cannot be read or is not an ONNX model at all.
    public init(contentsOf path: String, options: ModelOptions = ModelOptions()) throws {
        try self.init(bytes: try Model.readFile(path), source: path, options: options)
    }

    public init(bytes: [UInt8], source: String, options: ModelOptions = ModelOptions()) throws {
        let parsed = try ParsedModel(bytes: bytes, source: source)
        identity = parsed.identity
        operators = parsed.operatorUses(registry: options.registry)
        let initializers = Set(parsed.graph.initializer.map(\.name))
        inputs = parsed.graph.input.filter { !initializers.contains($0.name) }.map { ($0.name, Self.describe($0)) }
        outputs = parsed.graph.output.map { ($0.name, Self.describe($0)) }
        do {
            _ = try GraphPlanner.plan(parsed, options: options)
            problems = []
        } catch let error as ModelLoadError {
            problems = error.problems
        }
    }

    private static func describe(_ proto: Onnx_ValueInfoProto) -> String {
        do {
            let info = try ValueInfo(onnx: proto)
            if ValueInfo.isSequenceOfMaps(proto) {
                return "sequence(map(… → \(info.elementType)))"
            }
            return info.typeDescription
        } catch let failure as DecodingFailure {
            return "unsupported: \(failure.reason)"
        } catch {
            return "unsupported: \(error)"
        }
    }
}
