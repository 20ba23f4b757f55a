import Foundation
import SluiceKernels
import Testing
@testable import SluiceModel

/// Runs the ONNX project's backend node tests (`onnx/backend/test/data/node/<test>/`: `model.onnx`
/// and `test_data_set_*/{input,output}_*.pb`) for every test whose operators Sluice implements at
/// the test's opset, and compares the outputs as ONNX's backend runner does (rtol 1e-3, atol 1e-7).
///
/// The data comes from `SLUICE_ONNX_NODE_TESTS` (`make test` generates it and sets it) or, when that
/// is unset, from the `.venv` `make onnx-test-data` fills.
@Suite struct ONNXNodeTests {
    static let directory: URL? = {
        if let path = ProcessInfo.processInfo.environment["SLUICE_ONNX_NODE_TESTS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = root.appendingPathComponent(".venv")
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: venv.path)) ?? [])
            .filter { $0.hasPrefix("onnx-") && $0.hasSuffix("-tests") }
            .map { venv.appendingPathComponent($0).appendingPathComponent("node") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    @Test(
        .enabled(
            if: directory != nil,
            "ONNX node test data not found: set SLUICE_ONNX_NODE_TESTS to onnx/backend/test/data/node, or run `make onnx-test-data`"
        )
    )
    func everyNodeTestOfASupportedOperatorPasses() throws {
        let directory = try #require(Self.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("test_") }.sorted()
        try #require(!names.isEmpty, "no node tests in \(directory.path)")
        var report = NodeTestReport()
        for name in names {
            let outcome = NodeTestCase(directory: directory.appendingPathComponent(name), name: name).run()
            report.record(name, outcome)
            if case .failed(let reason) = outcome {
                Issue.record("\(name): \(reason)")
            }
        }
        print(report.summary)
        #expect(report.ran.count > 0 || Self.supportsNoStandardOperators, "no node test ran")
    }

    private static var supportsNoStandardOperators: Bool {
        !OperatorRegistry.standard.supportedOperators.contains { $0.domain == "ai.onnx" }
    }
}

/// What happened to one node test.
enum NodeTestOutcome {
    case passed
    case failed(String)
    /// Not run: an operator Sluice does not implement at the test's opset.
    case unsupportedOperator(String)
    /// Not run: data of a type Sluice cannot represent.
    case unsupportedType(String)
    /// Not run: listed in ``ONNXNodeTestExclusions``.
    case excluded(String)
}

struct NodeTestReport {
    var ran: [String] = []
    var failed: [String] = []
    var skippedForType: [(String, String)] = []
    var excluded: [String] = []
    var unsupported = 0

    mutating func record(_ name: String, _ outcome: NodeTestOutcome) {
        switch outcome {
        case .passed: ran.append(name)
        case .failed:
            ran.append(name)
            failed.append(name)
        case .unsupportedOperator: unsupported += 1
        case .unsupportedType(let reason): skippedForType.append((name, reason))
        case .excluded: excluded.append(name)
        }
    }

    var summary: String {
        """
        ONNX node tests: \(ran.count) ran (\(ran.count - failed.count) passed, \(failed.count) failed), \
        \(excluded.count) excluded, \(skippedForType.count) skipped for unsupported types, \
        \(unsupported) use operators Sluice does not implement.
        ran: \(ran.joined(separator: " "))
        skipped for types: \(skippedForType.map { "\($0.0) (\($0.1))" }.joined(separator: ", "))
        """
    }
}

/// One node test folder.
struct NodeTestCase {
    var directory: URL
    var name: String

    static let relativeTolerance = 1e-3
    static let absoluteTolerance = 1e-7

    func run() -> NodeTestOutcome {
        do {
            return try runOrThrow()
        } catch {
            return .failed("\(error)")
        }
    }

    private func runOrThrow() throws -> NodeTestOutcome {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent("model.onnx")))
        let parsed = try ParsedModel(bytes: bytes, source: name)
        let registry = OperatorRegistry.standard
        for use in parsed.operatorUses(registry: registry) where !use.isSupported {
            return .unsupportedOperator("\(use.domain) \(use.opType) opset \(use.opset.map(String.init) ?? "none")")
        }
        if let reason = unsupportedType(in: parsed.graph) {
            return .unsupportedType(reason)
        }
        if let reason = ONNXNodeTestExclusions.reasons[name] {
            return .excluded(reason)
        }
        let model = try Model(bytes: bytes, source: name, options: ModelOptions(missingValues: .accept, dynamicBatch: false))
        let session = model.makeSession()
        let dataSets = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("test_data_set_") }.sorted()
        for dataSet in dataSets {
            let folder = directory.appendingPathComponent(dataSet)
            let inputs = try tensors(in: folder, prefix: "input_")
            let expected = try tensors(in: folder, prefix: "output_")
            let byName = Dictionary(inputs.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
            let fed = try model.inputs.enumerated().map { index, input in
                guard let tensor = byName[input.name] ?? (index < inputs.count ? inputs[index].tensor : nil) else {
                    throw NodeTestFailure("\(dataSet) has no data for input '\(input.name)'")
                }
                return tensor
            }
            let actual = try session.predict(fed)
            guard actual.count == expected.count else {
                throw NodeTestFailure("\(dataSet): \(actual.count) outputs, expected \(expected.count)")
            }
            for (index, pair) in zip(actual, expected).enumerated() {
                if let difference = Self.difference(pair.0, pair.1.tensor) {
                    throw NodeTestFailure("\(dataSet) output \(index) '\(model.outputs[index].name)': \(difference)")
                }
            }
        }
        return .passed
    }

    /// The first input or output whose declared type Sluice cannot hold, described.
    private func unsupportedType(in graph: Onnx_GraphProto) -> String? {
        for value in graph.input + graph.output {
            switch value.type.value {
            case .tensorType(let tensor):
                if ElementType(onnxDataType: tensor.elemType) == nil {
                    return "'\(value.name)' is \(ElementType.onnxName(of: tensor.elemType))"
                }
            case .sequenceType: return "'\(value.name)' is a sequence"
            case .mapType: return "'\(value.name)' is a map"
            case nil: return "'\(value.name)' is an optional, sparse or opaque value"
            }
        }
        return nil
    }

    private func tensors(in folder: URL, prefix: String) throws -> [(name: String, tensor: Tensor)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".pb") }
            .sorted { Int($0.dropFirst(prefix.count).dropLast(3)) ?? 0 < Int($1.dropFirst(prefix.count).dropLast(3)) ?? 0 }
        return try files.map { file in
            let proto = try Onnx_TensorProto(serializedBytes: [UInt8](try Data(contentsOf: folder.appendingPathComponent(file))))
            do {
                return (proto.name, try Tensor(onnx: proto))
            } catch let failure as DecodingFailure {
                throw NodeTestFailure("\(file): \(failure.reason)")
            }
        }
    }

    /// How `actual` differs from `expected`, or `nil` when they agree within ONNX's tolerances.
    static func difference(_ actual: Tensor, _ expected: Tensor) -> String? {
        guard actual.elementType == expected.elementType else {
            return "element type \(actual.elementType), expected \(expected.elementType)"
        }
        guard actual.shape == expected.shape else {
            return "shape \(actual.shape), expected \(expected.shape)"
        }
        switch (actual.storage, expected.storage) {
        case (.float(let a), .float(let e)): return closeness(a.map(Double.init), e.map(Double.init))
        case (.double(let a), .double(let e)): return closeness(a, e)
        case (.int64(let a), .int64(let e)): return exactness(a, e)
        case (.int32(let a), .int32(let e)): return exactness(a, e)
        case (.bool(let a), .bool(let e)): return exactness(a, e)
        case (.string(let a), .string(let e)): return exactness(a, e)
        default: return "storage mismatch"
        }
    }

    private static func closeness(_ actual: [Double], _ expected: [Double]) -> String? {
        for index in actual.indices {
            let (a, e) = (actual[index], expected[index])
            if a.isNaN && e.isNaN { continue }
            if a == e { continue }
            if abs(a - e) <= absoluteTolerance + relativeTolerance * abs(e) { continue }
            return "element \(index) is \(a), expected \(e)"
        }
        return nil
    }

    private static func exactness<Element: Equatable>(_ actual: [Element], _ expected: [Element]) -> String? {
        guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
        return "element \(index) is \(actual[index]), expected \(expected[index])"
    }
}

struct NodeTestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
