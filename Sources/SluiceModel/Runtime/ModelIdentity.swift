/// What a model is: the facts a prediction or audit record cites to say which model produced it.
public struct ModelIdentity: Sendable, Hashable {
    /// The `name` metadata property when the model sets one, otherwise the file name without `.onnx`.
    public var name: String
    /// The `version` metadata property when set, otherwise ONNX's `model_version` when non-zero.
    public var version: String?
    /// SHA-256 of the model file's bytes, lowercase hex: what `sha256sum` prints.
    public var sha256: String
    /// The size of the model file in bytes.
    public var byteCount: Int
    /// The tool that wrote the file (`skl2onnx`, `pytorch`…) and its version, as the file says.
    public var producerName: String
    public var producerVersion: String
    public var irVersion: Int64
    /// The graph's name as the exporter set it.
    public var graphName: String
    /// The operator sets the model imports, by domain (`ai.onnx` for ONNX's empty domain).
    public var opsets: [OpsetImport]
    /// The model's free-form metadata properties.
    public var metadata: [String: String]
}

/// An operator set a model imports.
public struct OpsetImport: Sendable, Hashable, CustomStringConvertible {
    public var domain: String
    public var version: Int

    public init(domain: String, version: Int) {
        self.domain = domain
        self.version = version
    }

    public var description: String { "\(domain) v\(version)" }
}

/// A named input or output of a model and what is known of it at load time.
public struct ModelValue: Sendable {
    public var name: String
    /// Element type and shape; the batch dimension is ``Dimension/dynamic(_:)``. For ZipMap outputs
    /// ``ValueInfo/mapKeys`` holds the labels of the columns.
    public var info: ValueInfo

    public init(name: String, info: ValueInfo) {
        self.name = name
        self.info = info
    }
}

extension ValueInfo {
    /// The type and shape as `float[N, 20]`, for messages and `sluice model inspect`.
    public var typeDescription: String {
        let dims = shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[unknown rank]"
        if let keys = mapKeys {
            return "map(\(keys.elementType) → \(elementType))\(dims)"
        }
        return "\(elementType)\(dims)"
    }
}
