import Foundation
import SluiceModel
import Testing
@testable import SluicePipeline

/// Golden files: written from a trusted model, reproduced by the same model, and failing a model
/// whose outputs differ.
@Suite struct ModelValidationTests {
    @Test func aModelReproducesTheGoldenFileWrittenFromIt() throws {
        let fixtures = try ModelFixtures()
        let golden = try fixtures.writeGolden("fraud.golden.jsonl", model: fraudModel)
        let report = try ModelValidation(goldenFile: golden).check(fraudModel)
        #expect(report.passed, "\(report)")
        #expect(report.caseCount == 8)
    }

    @Test func aModelWithZipMapOutputsReproducesItsGoldenFile() throws {
        let model = try Model(bytes: ModelFixtures.repositoryModel("logistic-binary.onnx"), source: "logistic-binary.onnx")
        let writer = GoldenFileWriter(model: model)
        let line = try writer.goldenLine(for: "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0]", line: 1)
        let golden = try GoldenCase(parsing: Substring(line), line: 1, inputNames: [])
        guard case .map(let probabilities) = golden.outputs["output_probability"] else {
            Issue.record("ZipMap probabilities are not by label: \(line)")
            return
        }
        #expect(Set(probabilities.keys) == ["0", "1"])
        #expect(ModelValidation(source: "line", cases: [golden]).check(model).passed)
    }

    @Test func anOutputBeyondTheToleranceFailsNamingTheLineTheOutputAndBothValues() throws {
        let fixtures = try ModelFixtures()
        let golden = try fixtures.writeGolden("fraud.golden.jsonl", model: fraudModel, rows: 2)
        var validation = try ModelValidation(goldenFile: golden)
        guard case .values(let values) = validation.cases[1].outputs["fraud_probability"], case .number(let value) = values[0] else {
            Issue.record("fraud_probability is not one number")
            return
        }
        validation.cases[1].outputs["fraud_probability"] = .values([.number(value + 0.01)])
        let report = validation.check(fraudModel)
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.line == 2)
        #expect(report.failures.first?.message.contains("output 'fraud_probability': expected") == true, "\(report)")
        validation.tolerance = 0.1
        #expect(validation.check(fraudModel).passed, "within a looser tolerance")
    }

    @Test func aMissingOutputAndAnInputOfTheWrongWidthFail() throws {
        let row = (0..<20).map { _ in "0" }.joined(separator: ",")
        let cases = [
            try GoldenCase(parsing: #"{"inputs":{"features":[\#(row)]},"outputs":{"no_such_output":1}}"#, line: 1, inputNames: []),
            try GoldenCase(parsing: #"{"inputs":{"features":[1,2,3]},"outputs":{"fraud_probability":0.5}}"#, line: 2, inputNames: []),
        ]
        let report = ModelValidation(source: "cases", cases: cases).check(fraudModel)
        #expect(report.failures.map(\.line) == [1, 2])
        #expect(report.failures[0].message.contains("no output 'no_such_output'"))
        #expect(report.failures[1].message.contains("3 values do not make a row"), "\(report.failures[1])")
    }

    @Test func aGoldenFileThatIsNotJSONLinesWithOutputsIsRefusedWithTheLine() throws {
        let fixtures = try ModelFixtures()
        let broken = try fixtures.write(Array("{\"inputs\":{\"features\":[1]},\"outputs\":{\"a\":1}}\n\nnot json\n".utf8), to: "broken.jsonl")
        #expect(throws: GoldenFileError.self) { try ModelValidation(goldenFile: broken) }
        do {
            _ = try ModelValidation(goldenFile: broken)
        } catch {
            #expect(error.line == 3)
        }
        let inputsOnly = try fixtures.write(Array("{\"inputs\":{\"features\":[1]}}\n".utf8), to: "inputs.jsonl")
        #expect(throws: GoldenFileError.self) { try ModelValidation(goldenFile: inputsOnly) }
    }
}
