import Foundation
import SluiceModel

/// The validation gate: a golden file's cases that a model must reproduce, within a tolerance,
/// before it serves (`model.validation`, `sluice model validate`).
///
/// Each case is scored on its own, through the model's named inputs, so the check is the same for
/// any model whatever its inputs. Outputs the golden file does not list are not checked, so a new
/// model may add outputs; every listed one must exist and match.
public struct ModelValidation: Sendable {
    /// The tolerance when none is configured: float kernels differ between CPUs (AVX2 or not) by
    /// far less, and a changed model by far more.
    public static let defaultTolerance = 1e-4

    /// Where the cases come from, for messages.
    public var source: String
    public var cases: [GoldenCase]
    /// How far a number may be from the expected one: relative to the expected magnitude above 1,
    /// absolute below.
    public var tolerance: Double

    public init(source: String, cases: [GoldenCase], tolerance: Double = ModelValidation.defaultTolerance) {
        self.source = source
        self.cases = cases
        self.tolerance = tolerance
    }

    /// Reads the golden file at `path`: one case per non-empty line, each with its inputs by name
    /// and its expected outputs.
    ///
    /// - Throws: ``GoldenFileError`` when the file cannot be read, is empty, or a line is not a case.
    public init(goldenFile path: String, tolerance: Double = ModelValidation.defaultTolerance) throws(GoldenFileError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GoldenFileError(line: 0, reason: .init("cannot read golden file \(path)"))
        }
        var cases: [GoldenCase] = []
        for (index, text) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !text.allSatisfy(\.isWhitespace) {
            let golden = try GoldenCase(parsing: text, line: index + 1, inputNames: [])
            guard !golden.outputs.isEmpty else {
                throw GoldenFileError(line: index + 1, reason: .init("a golden case needs \"outputs\"; `sluice model golden` writes them"))
            }
            cases.append(golden)
        }
        guard !cases.isEmpty else { throw GoldenFileError(line: 0, reason: .init("golden file \(path) has no cases")) }
        self.init(source: path, cases: cases, tolerance: tolerance)
    }

    /// Scores every case with `model` and compares its outputs with the expected ones.
    public func check(_ model: Model) -> ModelValidationReport {
        let session = model.makeSession()
        var failures: [ModelValidationReport.Failure] = []
        for golden in cases {
            do {
                let outputs = try session.predict(golden.tensors(for: model))
                for (name, expected) in golden.outputs.sorted(by: { $0.key < $1.key }) {
                    guard let index = model.outputs.firstIndex(where: { $0.name == name }) else {
                        failures.append(.init(line: golden.line, message: "the model has no output '\(name)'"))
                        continue
                    }
                    let actual = GoldenOutput(row: 0, rows: 1, of: outputs[index], output: model.outputs[index])
                    if let difference = difference(expected: expected, actual: actual) {
                        failures.append(.init(line: golden.line, message: "output '\(name)'\(difference)"))
                    }
                }
            } catch let error as GoldenFileError {
                failures.append(.init(line: golden.line, message: error.reason.description))
            } catch {
                failures.append(.init(line: golden.line, message: "\(error)"))
            }
        }
        return ModelValidationReport(source: source, caseCount: cases.count, failures: failures)
    }

    /// The first difference between the two, as a message's end; `nil` when `actual` reproduces `expected`.
    private func difference(expected: GoldenOutput, actual: GoldenOutput) -> String? {
        switch (expected, actual) {
        case (.values(let expected), .values(let actual)):
            guard expected.count == actual.count else { return ": expected \(expected.count) values, got \(actual.count)" }
            for index in expected.indices where !expected[index].isReproduced(by: actual[index], tolerance: tolerance) {
                return (expected.count == 1 ? "" : "[\(index)]") + ": expected \(expected[index]), got \(actual[index])"
            }
            return nil
        case (.map(let expected), .map(let actual)):
            for (label, value) in expected.sorted(by: { $0.key < $1.key }) {
                guard let got = actual[label] else { return ": no label '\(label)'" }
                if !value.isReproduced(by: got, tolerance: tolerance) { return "['\(label)']: expected \(value), got \(got)" }
            }
            return nil
        case (.values, .map):
            return ": expected values, got values by label"
        case (.map, .values):
            return ": expected values by label, got plain values"
        }
    }
}

/// What ``ModelValidation/check(_:)`` found.
public struct ModelValidationReport: Sendable, CustomStringConvertible {
    /// A case the model did not reproduce, and how.
    public struct Failure: Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var source: String
    public var caseCount: Int
    public var failures: [Failure]

    public var passed: Bool { failures.isEmpty }

    /// One line: how many cases passed, and the first failure.
    public var description: String {
        guard let first = failures.first else { return "\(caseCount) of \(caseCount) golden cases of \(source) reproduced" }
        return "\(failures.count) of \(caseCount) golden cases of \(source) not reproduced; first: \(first)"
    }
}
