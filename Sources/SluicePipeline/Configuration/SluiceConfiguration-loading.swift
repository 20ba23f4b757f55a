import Foundation
import Yams

extension SluiceConfiguration {
    /// Reads, overrides and validates the configuration file at `path`.
    ///
    /// Relative paths in the file, `model.path`, `input.schema` and `${file:PATH}` references, are relative to the
    /// file's directory, so a configuration works from any working directory; a `model.path`
    /// overridden from the command line stays relative to the working directory. `readFile` reads
    /// the `${file:…}` references, given their resolved paths.
    public static func load(
        path: String,
        overrides: [ConfigurationOverride] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(ConfigurationError) -> SluiceConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(field: "", problem: "cannot read configuration file '\(path)': \(error.localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        var configuration = try parse(
            yaml: text, overrides: overrides, environment: environment,
            readFile: { try readFile(resolve($0, against: directory)) }
        )
        if !overrides.contains(where: { $0.field == "model.path" }) {
            configuration.model.path = resolve(configuration.model.path, against: directory)
        }
        configuration.input.schema = configuration.input.schema.map { resolve($0, against: directory) }
        if let golden = configuration.model.validation?.golden {
            configuration.model.validation?.golden = resolve(golden, against: directory)
        }
        if let shadow = configuration.model.shadow?.path {
            configuration.model.shadow?.path = resolve(shadow, against: directory)
        }
        if let canary = configuration.model.canary?.path {
            configuration.model.canary?.path = resolve(canary, against: directory)
        }
        if let profile = configuration.monitoring?.profile {
            configuration.monitoring?.profile = resolve(profile, against: directory)
        }
        if let profile = configuration.explanations?.profile {
            configuration.explanations?.profile = resolve(profile, against: directory)
        }
        return configuration
    }

    /// `path` as seen from `directory` (the working directory when empty); absolute paths as they are.
    static func resolve(_ path: String, against directory: String) -> String {
        guard !path.hasPrefix("/"), !directory.isEmpty else { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }

    /// Parses, overrides and validates configuration YAML. An empty document is all defaults
    /// (which still need `features`).
    public static func parse(
        yaml: String,
        overrides: [ConfigurationOverride] = [],
        environment: [String: String] = [:],
        readFile: @escaping @Sendable (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(ConfigurationError) -> SluiceConfiguration {
        var root: Node
        do {
            root = try Yams.compose(yaml: yaml) ?? Node.mapping(.init([]))
        } catch {
            throw ConfigurationError(field: "", problem: "not valid YAML: \(error)")
        }
        if case .scalar(let scalar) = root, scalar.string.isEmpty { root = .mapping(.init([])) }
        var origins: [String: String] = [:]
        for override in overrides {
            root = try apply(override, to: root)
            origins[override.field] = "from \(override.source)"
        }
        let context = ConfigurationReadContext(overrideOrigins: origins, environment: environment, readFile: readFile)
        let rootNode = ConfigurationNode(node: root, field: "", context: context)
        let configuration = try SluiceConfiguration(rootNode)
        do {
            try configuration.validate()
        } catch {
            throw ConfigurationError(field: error.field, problem: error.problem, origin: rootNode.descendant(error.field)?.origin)
        }
        return configuration
    }

    private static func apply(_ override: ConfigurationOverride, to root: Node) throws(ConfigurationError) -> Node {
        let value: Node
        do {
            value = try Yams.compose(yaml: override.value) ?? Node("")
        } catch {
            throw ConfigurationError(field: override.field, problem: "not a valid value: \(error)", origin: "from \(override.source)")
        }
        var path = override.field.split(separator: ".").map(String.init)
        if path.count > 2, path[0] == "kafka", path[1] == "properties" {
            path = ["kafka", "properties", path[2...].joined(separator: ".")]
        }
        return try set(value, at: path[...], in: root, field: override)
    }

    private static func set(_ value: Node, at path: ArraySlice<String>, in node: Node, field: ConfigurationOverride) throws(ConfigurationError) -> Node {
        guard let key = path.first else { return value }
        var mapping: Node.Mapping
        switch node {
        case .mapping(let existing): mapping = existing
        case .scalar(let scalar) where scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null": mapping = .init([])
        default:
            throw ConfigurationError(field: field.field, problem: "cannot set a value below a non-mapping", origin: "from \(field.source)")
        }
        let child = mapping[Node(key)] ?? Node.mapping(.init([]))
        mapping[Node(key)] = try set(value, at: path.dropFirst(), in: child, field: field)
        return .mapping(mapping)
    }

    init(_ root: ConfigurationNode) throws(ConfigurationError) {
        self.init()
        let sections = try root.mapping(allowed: ["kafka", "input", "features", "model", "batching", "backpressure", "outputs", "delivery", "http", "monitoring", "audit"])
        if let node = sections["kafka"] {
            let members = try node.mapping(allowed: ["bootstrap", "group", "commit_interval_ms", "properties", "connect_timeout"])
            if let value = members["bootstrap"] { kafka.bootstrap = try value.nonEmptyString() }
            if let value = members["commit_interval_ms"] { kafka.commitIntervalMilliseconds = try value.int(in: 10...60_000) }
            if let value = members["connect_timeout"] { kafka.connectTimeout = try value.duration(atMost: .seconds(86_400)) }
            if let value = members["group"] { kafka.group = try value.nonEmptyString() }
            if let value = members["properties"] {
                for (key, property) in try value.stringMapping() {
                    kafka.properties[key] = try property.string()
                }
            }
        }
        if let node = sections["input"] {
            let members = try node.mapping(allowed: ["topics", "format", "schema", "message", "schema_registry", "framing"])
            if let value = members["topics"] {
                if case .scalar = value.node {
                    input.topics = [try value.nonEmptyString()]
                } else {
                    input.topics = try value.sequence().map { (topic) throws(ConfigurationError) in try topic.nonEmptyString() }
                }
            }
            if let value = members["format"] { input.format = try value.oneOf(InputFormat.self) }
            try input.readSchemaSource(members)
        }
        if let node = sections["features"], !node.isNull {
            if case .mapping = node.node {
                inputFeatures = try Self.inputFeatures(node, feature: Self.feature)
            } else {
                features = try node.sequence().map { (feature) throws(ConfigurationError) in try Self.feature(feature) }
            }
        }
        if let node = sections["model"] {
            let members = try node.mapping(allowed: ["path", "name", "version", "validation", "watch_interval_ms", "shadow", "canary"])
            if let value = members["path"] { model.path = try value.nonEmptyString() }
            if let value = members["name"], !value.isNull { model.name = try value.nonEmptyString() }
            if let value = members["version"], !value.isNull { model.version = try value.nonEmptyString() }
            try model.readLifecycle(members)
        }
        if let node = sections["batching"] {
            let members = try node.mapping(allowed: ["max_size", "max_delay_ms"])
            if let value = members["max_size"] { batching.maxSize = try value.int(in: 1...65_536) }
            if let value = members["max_delay_ms"] { batching.maxDelayMilliseconds = try value.double(in: 0...10_000) }
        }
        if let node = sections["backpressure"] {
            let members = try node.mapping(allowed: ["max_in_flight", "resume_at", "pause_after_ms"])
            if let value = members["max_in_flight"] { backpressure.maxInFlight = try value.int(in: 1...100_000_000) }
            if let value = members["resume_at"] { backpressure.resumeAt = try value.int(in: 0...100_000_000) }
            if let value = members["pause_after_ms"] { backpressure.pauseAfterMilliseconds = try value.int(in: 0...600_000) }
        }
        if let node = sections["outputs"] {
            let members = try node.mapping(allowed: ["predictions", "audit", "dead_letter", "on_rejected"])
            if let value = members["on_rejected"] { outputs.onRejected = try value.oneOf(RejectedOutputPolicy.self) }
            if let value = members["predictions"] { outputs.predictions = try value.nonEmptyString() }
            if let value = members["audit"] { outputs.audit = try value.nonEmptyString() }
            if let value = members["dead_letter"], !value.isNull { outputs.deadLetter = try value.nonEmptyString() }
        }
        if let node = sections["delivery"] {
            if case .scalar = node.node {
                delivery = try node.oneOf(Delivery.self)
            } else {
                let members = try node.mapping(allowed: ["guarantee", "transaction_ms"])
                if let value = members["guarantee"] { delivery = try value.oneOf(Delivery.self) }
                if let value = members["transaction_ms"] { transactionMilliseconds = try value.int(in: 10...60_000) }
            }
        }
        monitoring = try Self.monitoringSection(sections["monitoring"])
        explanations = try Self.auditSection(sections["audit"])
        if let node = sections["http"] {
            let members = try node.mapping(allowed: ["listen", "enabled", "stall_timeout_ms"])
            if let value = members["stall_timeout_ms"] { http.stallTimeoutMilliseconds = try value.int(in: 1_000...86_400_000) }
            if let value = members["listen"] { http.listen = try value.nonEmptyString() }
            if let value = members["enabled"] { http.isEnabled = try value.bool() }
        }
    }

    private static func feature(_ node: ConfigurationNode) throws(ConfigurationError) -> FeatureSpec.Feature {
        let members = try node.mapping(allowed: ["path", "length", "default"])
        guard let path = members["path"] else { throw node.error("needs a 'path'") }
        var feature = FeatureSpec.Feature(path: try path.nonEmptyString())
        if let length = members["length"], !length.isNull { feature.length = try length.int(in: 1...1_000_000) }
        if let value = members["default"], !value.isNull {
            if case .scalar(let scalar) = value.node, scalar.style != .plain {
                feature.defaultString = try value.string()
            } else {
                feature.defaultValue = try value.float()
            }
        }
        return feature
    }
}
