import SluiceKernels

/// Typed attribute look-ups that fail with an ``OperatorError`` naming the attribute.
extension OperatorNode {
    public func hasAttribute(_ name: String) -> Bool { attributes[name] != nil }

    public func int(_ name: String) throws -> Int64 {
        guard case .int(let value) = try required(name) else { throw wrongKind(name, "an int") }
        return value
    }

    public func int(_ name: String, default fallback: Int64) throws -> Int64 {
        attributes[name] == nil ? fallback : try int(name)
    }

    public func float(_ name: String) throws -> Float {
        guard case .float(let value) = try required(name) else { throw wrongKind(name, "a float") }
        return value
    }

    public func float(_ name: String, default fallback: Float) throws -> Float {
        attributes[name] == nil ? fallback : try float(name)
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let value) = try required(name) else { throw wrongKind(name, "a string") }
        return value
    }

    public func string(_ name: String, default fallback: String) throws -> String {
        attributes[name] == nil ? fallback : try string(name)
    }

    public func ints(_ name: String) throws -> [Int64] {
        guard case .ints(let values) = try required(name) else { throw wrongKind(name, "a list of ints") }
        return values
    }

    public func ints(_ name: String, default fallback: [Int64]) throws -> [Int64] {
        attributes[name] == nil ? fallback : try ints(name)
    }

    public func floats(_ name: String) throws -> [Float] {
        guard case .floats(let values) = try required(name) else { throw wrongKind(name, "a list of floats") }
        return values
    }

    public func floats(_ name: String, default fallback: [Float]) throws -> [Float] {
        attributes[name] == nil ? fallback : try floats(name)
    }

    public func strings(_ name: String) throws -> [String] {
        guard case .strings(let values) = try required(name) else { throw wrongKind(name, "a list of strings") }
        return values
    }

    public func strings(_ name: String, default fallback: [String]) throws -> [String] {
        attributes[name] == nil ? fallback : try strings(name)
    }

    public func tensor(_ name: String) throws -> Tensor {
        guard case .tensor(let value) = try required(name) else { throw wrongKind(name, "a tensor") }
        return value
    }

    private func required(_ name: String) throws -> AttributeValue {
        guard let value = attributes[name] else {
            throw OperatorError("required attribute '\(name)' is missing")
        }
        return value
    }

    private func wrongKind(_ name: String, _ expected: String) -> OperatorError {
        OperatorError("attribute '\(name)' must be \(expected)")
    }
}
