extension SluiceConfiguration.Input {
    /// Reads `schema`, `message`, `schema_registry` and `framing` from the `input:` section's
    /// members, and checks that they fit the format: `avro` has a schema or a registry, not both;
    /// `protobuf` a descriptor set and a message, or a registry; `json` none of them; `framing`
    /// goes with a local schema.
    mutating func readSchemaSource(_ members: [String: ConfigurationNode]) throws(ConfigurationError) {
        if let value = members["schema"], !value.isNull { schema = try value.nonEmptyString() }
        if let value = members["message"], !value.isNull { message = try value.nonEmptyString() }
        if let node = members["schema_registry"], !node.isNull {
            let registry = try node.mapping(allowed: ["url", "username", "password", "timeout"])
            guard let url = registry["url"] else { throw node.error("needs a url") }
            var settings = SchemaRegistryClient.Settings(url: try url.nonEmptyString())
            guard settings.url.hasPrefix("http://") || settings.url.hasPrefix("https://") else {
                throw url.error("expected an http:// or https:// URL, found '\(settings.url)'")
            }
            if let value = registry["username"], !value.isNull { settings.username = try value.string() }
            if let value = registry["password"], !value.isNull { settings.password = try value.string() }
            if let value = registry["timeout"], let timeout = try value.duration(atMost: .seconds(600)) { settings.timeout = timeout }
            schemaRegistry = settings
        }
        if let value = members["framing"], !value.isNull { framing = try value.oneOf(SluiceConfiguration.InputFraming.self) }
        let given = ["schema": schema != nil, "message": message != nil, "schema_registry": schemaRegistry != nil, "framing": members["framing"].map { !$0.isNull } ?? false]
        let allowed: Set<String> =
            switch format {
            case .json: []
            case .avro: schema != nil ? ["schema", "framing"] : ["schema_registry"]
            case .protobuf: schemaRegistry == nil ? ["schema", "message", "framing"] : ["schema_registry"]
            }
        for (field, isGiven) in given where isGiven && !allowed.contains(field) {
            let problem =
                switch (format, field) {
                case (.json, _): "does not apply to json input"
                case (_, "framing"): "applies to a local schema (input.schema): a registry's events are always in its wire format"
                case (_, "message"): "applies to a local schema (input.schema): with a registry, each event's message-index list names its type"
                default: "give either input.schema (a local schema) or input.schema_registry (the Schema Registry wire format), not both"
                }
            throw members[field]!.error(problem)
        }
        let needed: [String] =
            switch format {
            case .json: []
            case .avro: schema == nil && schemaRegistry == nil ? ["schema or input.schema_registry"] : []
            case .protobuf:
                schemaRegistry != nil ? [] : schema == nil ? ["schema or input.schema_registry"] : (message == nil ? ["message"] : [])
            }
        if let missing = needed.first, let node = members["format"] {
            throw node.error("\(format.rawValue) input needs input.\(missing)")
        }
    }

    /// The schema source as `sluice config check` shows it, the password left out.
    var schemaDescription: String {
        var fields: [String] = []
        if let schema { fields.append("schema: \(schema)") }
        if let message { fields.append("message: \(message)") }
        if framing == .confluent { fields.append("framing: confluent") }
        if let schemaRegistry {
            let user = schemaRegistry.username.map { ", username: \($0), password: <redacted>" } ?? ""
            fields.append("schema_registry: {url: \(schemaRegistry.url)\(user)}")
        }
        return fields.map { ", " + $0 }.joined()
    }
}
