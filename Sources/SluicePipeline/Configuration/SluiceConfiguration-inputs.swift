import SluiceKernels
import SluiceModel

/// `features:` per model input: which event fields fill each named input, and the specs the
/// decoder compiles for a given model.
///
/// Three forms: a list of features (the model's single float input, as before); a mapping from
/// input name to `{type, shape, fields: [features]}`; or nothing, when each model input is read
/// from the event field of its own name (an input of one value per row from a scalar, a wider one
/// from an array of that many values).
extension SluiceConfiguration {
    /// The specs of the model's inputs, in the model's input order, as this configuration maps
    /// them.
    ///
    /// - Throws: ``ProcessorError/inputMapping(_:)`` when the mapping names an input the model
    ///   does not have, misses one it has, or disagrees with its element type or shape.
    public func inputSpecs(for model: SluiceModel.Model) throws -> [InputSpec] {
        if !features.isEmpty {
            guard model.inputs.count == 1 else {
                throw ProcessorError.inputMapping(
                    "a list of features fills one input, but model '\(model.identity.name)' takes \(model.inputs.count): "
                        + "map them by input name (features: {<input>: {fields: [...]}})"
                )
            }
            return [InputSpec(name: model.inputs[0].name, elementType: .float, features: featureSpec)]
        }
        let unknown = inputFeatures.map(\.name).filter { name in !model.inputs.contains { $0.name == name } }
        if let name = unknown.first {
            throw ProcessorError.inputMapping(
                "features.\(name): model '\(model.identity.name)' has no input '\(name)'; its inputs are \(model.inputs.map(\.name).joined(separator: ", "))"
            )
        }
        return try model.inputs.map { (input) throws -> InputSpec in
            let rowShape = input.info.shape.map { Array($0.dropFirst()) }
            let fixedShape = rowShape.flatMap { shape in shape.allSatisfy { $0.fixedSize != nil } ? shape.map { $0.fixedSize! } : nil }
            guard let configured = inputFeatures.first(where: { $0.name == input.name }) else {
                guard inputFeatures.isEmpty else {
                    throw ProcessorError.inputMapping("features: model input '\(input.name)' has no entry")
                }
                let width = fixedShape?.reduce(1, *) ?? 1
                let feature = FeatureSpec.Feature(path: input.name, length: fixedShape == [1] || fixedShape == [] ? nil : width)
                return InputSpec(name: input.name, elementType: input.info.elementType, rowShape: fixedShape ?? [1], features: FeatureSpec([feature]))
            }
            guard configured.elementType == input.info.elementType else {
                throw ProcessorError.inputMapping(
                    "features.\(input.name).type: model input '\(input.name)' is \(input.info.typeDescription), not \(configured.elementType)"
                )
            }
            var spec = configured
            let width = configured.features.width
            let shape = configured.rowShape ?? (fixedShape.map { $0.reduce(1, *) == width } == true ? fixedShape! : [width])
            spec.rowShape = shape
            if let fixedShape, shape != fixedShape {
                throw ProcessorError.inputMapping(
                    "features.\(input.name): its fields make rows of shape \(shape), but model input '\(input.name)' is \(input.info.typeDescription)"
                )
            }
            return spec
        }
    }

    /// The configuration field a ``FeatureSpecError`` is about: `features[2].length` in the list
    /// form, `features.<input>.fields[0].path` in the mapping form.
    func featureField(_ error: FeatureSpecError) -> String {
        guard features.isEmpty else { return "features[\(error.featureIndex)].\(error.field)" }
        var first = 0
        for input in inputFeatures {
            let count = input.features.features.count
            if error.featureIndex < first + count || error.field == "shape" && error.featureIndex == first + count - 1 {
                let field = error.field == "shape" ? "shape" : "fields[\(error.featureIndex - first)].\(error.field)"
                return "features.\(input.name).\(field)"
            }
            first += count
        }
        return "features"
    }

    /// Reads the mapping form of `features:`.
    static func inputFeatures(_ node: ConfigurationNode, feature: (ConfigurationNode) throws(ConfigurationError) -> FeatureSpec.Feature) throws(ConfigurationError) -> [InputSpec] {
        try node.stringMapping().map { (member) throws(ConfigurationError) -> InputSpec in
            let (name, value) = member
            let members = try value.mapping(allowed: ["type", "shape", "fields"])
            var spec = InputSpec(name: name, features: FeatureSpec([]))
            if let type = members["type"] {
                let text = try type.string()
                guard let elementType = ElementType(rawValue: text) else {
                    throw type.error("'\(text)' is not an element type (expected one of: float, double, int64, int32, bool, string)")
                }
                spec.elementType = elementType
            }
            if let shape = members["shape"], !shape.isNull {
                spec.rowShape = try shape.sequence().map { (dimension) throws(ConfigurationError) in try dimension.int(in: 1...1_000_000) }
            }
            guard let fields = members["fields"] else { throw value.error("needs 'fields', e.g. '[{path: amount}]'") }
            spec.features = FeatureSpec(try fields.sequence().map(feature))
            return spec
        }
    }

    /// The `features:` lines of the mapping form, for the effective configuration's description.
    func inputFeatureLines(quoted: (String) -> String) -> [String] {
        inputFeatures.flatMap { input in
            var lines = ["  \(quoted(input.name)):", "    type: \(input.elementType)"]
            if let shape = input.rowShape { lines.append("    shape: [\(shape.map(String.init).joined(separator: ", "))]") }
            lines.append("    fields:")
            for feature in input.features.features {
                var fields = ["path: \(quoted(feature.path))"]
                if let length = feature.length { fields.append("length: \(length)") }
                if let value = feature.defaultValue { fields.append("default: \(value)") }
                if let value = feature.defaultString { fields.append("default: \(quoted(value))") }
                lines.append("      - {\(fields.joined(separator: ", "))}")
            }
            return lines
        }
    }
}
