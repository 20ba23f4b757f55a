import SluiceKernels
import SwiftProtobuf

/// An ONNX file parsed and checked to be a model at all, before any node is looked at.
struct ParsedModel {
    var source: String
    var graph: Onnx_GraphProto
    var identity: ModelIdentity
    /// The imported opset version by domain, ONNX's empty domain spelled `ai.onnx`.
    var opsets: [String: Int]

    /// The domains whose operators Sluice implements.
    static let supportedDomains: Set<String> = ["ai.onnx", "ai.onnx.ml"]

    /// Operators that define what NaN means in their input (see ``MissingValuePolicy``).
    static let missingValueOperators: Set<String> = ["TreeEnsembleClassifier", "TreeEnsembleRegressor", "TreeEnsemble", "Imputer"]

    init(bytes: [UInt8], source: String) throws {
        self.source = source
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw ModelLoadError(source: source, "the file is not a valid ONNX model (protobuf decoding failed: \(error)); it may be truncated or not ONNX at all")
        }
        guard model.hasGraph, model.hasIrVersion, !model.opsetImport.isEmpty else {
            throw ModelLoadError(
                source: source,
                "the file is not a valid ONNX model: it has no graph, IR version or opset import; it may be truncated or not ONNX at all"
            )
        }
        var opsets: [String: Int] = [:]
        for entry in model.opsetImport {
            let domain = Self.normalized(domain: entry.domain)
            // Some exporters (skl2onnx) list the same import twice; only a conflict is an error.
            if let earlier = opsets[domain], earlier != Int(entry.version) {
                throw ModelLoadError(source: source, "the model imports domain \(domain) twice, as opset \(earlier) and \(entry.version)")
            }
            opsets[domain] = Int(entry.version)
        }
        self.opsets = opsets
        graph = model.graph

        let metadata = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        let stem = fileName.hasSuffix(".onnx") ? String(fileName.dropLast(5)) : fileName
        identity = ModelIdentity(
            name: metadata["name"] ?? stem,
            version: metadata["version"] ?? (model.modelVersion != 0 ? String(model.modelVersion) : nil),
            sha256: Model.sha256Hex(bytes),
            byteCount: bytes.count,
            producerName: model.producerName,
            producerVersion: model.producerVersion,
            irVersion: model.irVersion,
            graphName: model.graph.name,
            opsets: opsets.map { OpsetImport(domain: $0.key, version: $0.value) }.sorted { $0.domain < $1.domain },
            metadata: metadata
        )
    }

    static func normalized(domain: String) -> String {
        domain.isEmpty ? "ai.onnx" : domain
    }

    var handlesMissingValues: Bool {
        graph.node.contains { Self.normalized(domain: $0.domain) == "ai.onnx.ml" && Self.missingValueOperators.contains($0.opType) }
    }

    /// Every operator type of the graph, in first-use order, with whether `registry` implements it.
    func operatorUses(registry: OperatorRegistry) -> [OperatorUse] {
        var uses: [OperatorUse] = []
        var indexByKey: [String: Int] = [:]
        for node in graph.node {
            let domain = Self.normalized(domain: node.domain)
            let key = domain + "\u{0}" + node.opType
            if let index = indexByKey[key] {
                uses[index].nodeCount += 1
                continue
            }
            let opset = opsets[domain]
            let supported = opset.map { registry.definition(domain: domain, opType: node.opType, opset: $0) != nil } ?? false
            indexByKey[key] = uses.count
            uses.append(OperatorUse(domain: domain, opType: node.opType, opset: opset, nodeCount: 1, isSupported: supported))
        }
        return uses
    }
}
