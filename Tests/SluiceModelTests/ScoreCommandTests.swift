import Foundation
import Testing

/// `sluice score` and `sluice model inspect` as a user runs them, through the built executable.
@Suite struct ScoreCommandTests {
    @Test(.enabled(if: StandardOperators.haveDense, "needs the ai.onnx Add and Relu operators in OperatorRegistry.standard"))
    func scoresEveryLineInOrderAndReportsBadLinesWithoutStopping() throws {
        let input = """
            {"features":[1,2,3]}
            [0.5, -1, 2]
            not json
            [1,2]
            {"features":[1,null,3]}
            {"id":"a\\"b","nested":{"x":[1,{}]},"features":[1e0,2,3.0]}

            """
        let run = try runSluice(["score", "--model", Fixture.path("add-relu.onnx")], input: input)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.lines == [
            #"{"outputs":{"Y":[3.0,2.0,10.0]}}"#,
            #"{"outputs":{"Y":[2.0,-2.0,8.0]}}"#,
            #"{"error":"invalid_json: $: expected 'null', found 'o' (at byte 1)"}"#,
            #"{"error":"wrong_length: features: expected 3 elements, found 2 (at byte 0)"}"#,
            #"{"error":"feature 1 is missing (null); this model has no missing-value handling (no tree ensemble or imputer)"}"#,
            #"{"outputs":{"Y":[3.0,2.0,10.0]}}"#,
        ])
    }

    @Test(.enabled(if: StandardOperators.haveMachineLearning, "needs the ai.onnx.ml operators in OperatorRegistry.standard"))
    func zipMapRowsAreObjectsKeyedByLabelAndSingleElementRowsAreScalars() throws {
        let zipped = try runSluice(["score", "--model", Fixture.path("zipmap.onnx")], input: "[0.25,0.75]\n")
        #expect(zipped.lines == [#"{"outputs":{"Z":{"4":0.25,"7":0.75}}}"#])
        let tree = try runSluice(["score", "--model", Fixture.path("tree-missing.onnx")], input: "[null,0]\n[1,0]\n")
        #expect(tree.lines == [#"{"outputs":{"Y":1.0}}"#, #"{"outputs":{"Y":2.0}}"#])
    }

    @Test(.enabled(if: StandardOperators.haveDense, "needs the ai.onnx Add and Relu operators in OperatorRegistry.standard"))
    func anErrorNamesTheFeatureCountedFromItsOwnLine() throws {
        let run = try runSluice(["score", "--model", Fixture.path("add-relu.onnx")], input: "[1,2,3]\n[4,5,6]\n[7,\"x\",9]\n[1,2 3]\n")
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.lines.dropFirst(2) == [
            #"{"error":"wrong_type: features[1]: expected a number or a boolean, found a string (at byte 3)"}"#,
            #"{"error":"invalid_json: $: expected ',' or ']' after an array element, found '3' (at byte 5)"}"#,
        ])
    }

    @Test func aModelThatCannotLoadExitsNonZeroWithEveryProblemOnStandardError() throws {
        let run = try runSluice(["score", "--model", Fixture.path("unsupported.onnx")], input: "[1,2,3]\n")
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.contains("node 'mystery' (FrobnicateOp, domain ai.onnx, opset 17)"))
        #expect(run.standardError.contains("node 'vendor'"))
    }

    @Test func inspectShowsOperatorsSupportAndDigest() throws {
        let run = try runSluice(["model", "inspect", Fixture.path("unsupported.onnx")], input: "")
        #expect(run.status != 0)
        #expect(run.standardOutput.contains("  X: float[N, 3]\n"))
        #expect(run.standardOutput.contains("ai.onnx FrobnicateOp (opset 17) ×1: not supported"))
        #expect(run.standardOutput.contains("supported: no\n"))
        #expect(run.standardOutput.contains("sha256:    "))
    }

    private struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    private func runSluice(_ arguments: [String], input: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice")
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self), standardError: String(decoding: error, as: UTF8.self))
    }
}
