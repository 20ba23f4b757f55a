import SluiceKernels

/// `LabelEncoder`: maps each element through a table of keys to values, or to a default.
///
/// - opset 1: `classes_strings` maps strings to their index, or indices back to strings;
/// - opsets 2–3: `keys_*` and `values_*` lists of strings, int64s or floats;
/// - opsets 4–5: also `keys_tensor`, `values_tensor` and `default_tensor`, which add doubles.
///
/// Float keys match like onnxruntime's: −0 matches +0, and from opset 4 a NaN key matches NaN.
let labelEncoderOperators: [OperatorDefinition] = [
    OperatorDefinition(domain: "ai.onnx.ml", opType: "LabelEncoder", opsets: 1...1) { context in
        let input = try context.requiredInput(0)
        let classes = try context.node.strings("classes_strings")
        let table: LabelTable
        switch input.elementType {
        case .string:
            table = LabelTable(
                keys: classes.map(LabelKey.string), values: .int64(classes.indices.map(Int64.init)),
                fallback: .int64([try context.node.int("default_int64", default: -1)])
            )
        case .int64:
            table = LabelTable(
                keys: classes.indices.map { LabelKey.integer(Int64($0)) }, values: .string(classes),
                fallback: .string([try context.node.string("default_string", default: "_Unused")])
            )
        default:
            throw OperatorError("input X must be string or int64, not \(input.elementType)")
        }
        return try table.compiled(for: input)
    },
    OperatorDefinition(domain: "ai.onnx.ml", opType: "LabelEncoder", opsets: 2...5) { context in
        let input = try context.requiredInput(0)
        var table = try LabelTable(context.node, allowsTensors: context.opset >= 4)
        table.nanMatchesNaN = context.opset >= 4
        return try table.compiled(for: input)
    },
]

/// A key of a `LabelEncoder` table.
enum LabelKey: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    /// A real, by the bits of its double value with every NaN made one NaN and −0 made +0.
    case real(UInt64)

    static func real(_ value: Double) -> LabelKey {
        if value.isNaN { return .real(Double.nan.bitPattern) }
        return .real((value == 0 ? 0 : value).bitPattern)
    }
}

struct LabelTable: Sendable {
    var keyType: ElementType
    var index: [LabelKey: Int]
    var values: TensorStorage
    var fallback: TensorStorage
    /// Whether a NaN key matches NaN elements (opset 4 on), or never matches (before).
    var nanMatchesNaN = false

    init(keys: [LabelKey], values: TensorStorage, fallback: TensorStorage, keyType: ElementType? = nil) {
        self.keyType = keyType ?? {
            switch keys.first {
            case .string, nil: .string
            case .integer: .int64
            case .real: .float
            }
        }()
        var index: [LabelKey: Int] = [:]
        for (position, key) in keys.enumerated() where index[key] == nil { index[key] = position }
        self.index = index
        self.values = values
        self.fallback = fallback
    }

    /// Reads the `keys_*`/`values_*` (and, from opset 4, `*_tensor`) attributes.
    init(_ node: OperatorNode, allowsTensors: Bool) throws {
        let (keys, keyType) = try Self.keyList(node, allowsTensors: allowsTensors)
        let values = try Self.valueList(node, allowsTensors: allowsTensors)
        guard keys.count == values.count else {
            throw OperatorError("there are \(keys.count) keys but \(values.count) values")
        }
        let fallback: TensorStorage
        if allowsTensors && node.hasAttribute("default_tensor") {
            fallback = try node.tensor("default_tensor").storage
            guard fallback.elementType == values.elementType, fallback.count == 1 else {
                throw OperatorError("default_tensor must be one \(values.elementType) value")
            }
        } else {
            switch values {
            case .string: fallback = .string([try node.string("default_string", default: "_Unused")])
            case .int64: fallback = .int64([try node.int("default_int64", default: -1)])
            case .float: fallback = .float([try node.float("default_float", default: -0.0)])
            case .double: fallback = .double([Double(try node.float("default_float", default: -0.0))])
            default: throw OperatorError("values of type \(values.elementType) are not supported")
            }
        }
        self.init(keys: keys, values: values, fallback: fallback, keyType: keyType)
    }

    private static func keyList(_ node: OperatorNode, allowsTensors: Bool) throws -> ([LabelKey], ElementType) {
        var found: [([LabelKey], ElementType)] = []
        if node.hasAttribute("keys_strings") { found.append((try node.strings("keys_strings").map(LabelKey.string), .string)) }
        if node.hasAttribute("keys_int64s") { found.append((try node.ints("keys_int64s").map(LabelKey.integer), .int64)) }
        if node.hasAttribute("keys_floats") { found.append((try node.floats("keys_floats").map { LabelKey.real(Double($0)) }, .float)) }
        if allowsTensors && node.hasAttribute("keys_tensor") {
            let tensor = try node.tensor("keys_tensor")
            switch tensor.storage {
            case .string(let keys): found.append((keys.map(LabelKey.string), .string))
            case .int64(let keys): found.append((keys.map(LabelKey.integer), .int64))
            case .float(let keys): found.append((keys.map { LabelKey.real(Double($0)) }, .float))
            case .double(let keys): found.append((keys.map { LabelKey.real($0) }, .double))
            default: throw OperatorError("keys_tensor of type \(tensor.elementType) is not supported")
            }
        }
        guard found.count == 1 else { throw OperatorError("exactly one keys_* attribute is required, not \(found.count)") }
        return found[0]
    }

    private static func valueList(_ node: OperatorNode, allowsTensors: Bool) throws -> TensorStorage {
        var found: [TensorStorage] = []
        if node.hasAttribute("values_strings") { found.append(.string(try node.strings("values_strings"))) }
        if node.hasAttribute("values_int64s") { found.append(.int64(try node.ints("values_int64s"))) }
        if node.hasAttribute("values_floats") { found.append(.float(try node.floats("values_floats"))) }
        if allowsTensors && node.hasAttribute("values_tensor") {
            let storage = try node.tensor("values_tensor").storage
            guard [.string, .int64, .float, .double].contains(storage.elementType) else {
                throw OperatorError("values_tensor of type \(storage.elementType) is not supported")
            }
            found.append(storage)
        }
        guard found.count == 1 else { throw OperatorError("exactly one values_* attribute is required, not \(found.count)") }
        return found[0]
    }

    func position(of value: Double) -> Int? {
        value.isNaN && !nanMatchesNaN ? nil : index[.real(value)]
    }

    func compiled(for input: ValueInfo) throws -> CompiledNode {
        guard input.elementType == keyType else {
            throw OperatorError("input X is \(input.elementType) but the keys are \(keyType)")
        }
        return CompiledNode(
            operation: LabelEncoding(table: self),
            outputs: [ValueInfo(elementType: values.elementType, shape: input.shape)]
        )
    }
}

struct LabelEncoding: CompiledOperator {
    let table: LabelTable

    func run(_ inputs: [Tensor], _ outputs: inout [Tensor]) throws {
        let input = inputs[0]
        let positions: [Int?]
        switch input.storage {
        case .string(let values): positions = values.map { table.index[.string($0)] }
        case .int64(let values): positions = values.map { table.index[.integer($0)] }
        case .float(let values): positions = values.map { table.position(of: Double($0)) }
        case .double(let values): positions = values.map { table.position(of: $0) }
        default: throw OperatorError("input X of type \(input.elementType) is not supported")
        }
        switch (table.values, table.fallback) {
        case (.float(let values), .float(let fallback)):
            outputs[0].withMutableFloats(shape: input.shape) { output in
                for (index, position) in positions.enumerated() { output[index] = position.map { values[$0] } ?? fallback[0] }
            }
        case (.int64(let values), .int64(let fallback)):
            outputs[0].withMutableInt64s(shape: input.shape) { output in
                for (index, position) in positions.enumerated() { output[index] = position.map { values[$0] } ?? fallback[0] }
            }
        case (.string(let values), .string(let fallback)):
            outputs[0].withMutableStrings(shape: input.shape) { output in
                for (index, position) in positions.enumerated() { output[index] = position.map { values[$0] } ?? fallback[0] }
            }
        case (.double(let values), .double(let fallback)):
            outputs[0] = Tensor(shape: input.shape, doubles: positions.map { $0.map { values[$0] } ?? fallback[0] })
        default:
            throw OperatorError("values of type \(table.values.elementType) are not supported")
        }
    }
}
