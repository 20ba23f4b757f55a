import Foundation
import Testing

/// Every example model scores its reference rows through the built `sluice score` command, as a
/// user would pipe JSON lines through it, and agrees with onnxruntime.
@Suite struct ExampleModelScoreTests {
    @Test(arguments: try ExampleReference.all())
    func sluiceScoreMatchesOnnxRuntime(_ reference: ExampleReference) throws {
        let input = reference.scoreLines
        let run = try SluiceCommand.run(["score", "--model", reference.modelURL.path], standardInput: Data(input.utf8))
        try #require(run.status == 0, "sluice score exited with \(run.status): \(run.standardError)")

        let lines = run.standardOutput.split(separator: "\n", omittingEmptySubsequences: true)
        try #require(lines.count == reference.rowCount, "\(lines.count) output lines for \(reference.rowCount) inputs")
        let rows = try lines.map { try JSONValue.parse(Data($0.utf8)) }
        for (index, row) in rows.enumerated() {
            #expect(row["outputs"]?.object?.keys.sorted() == reference.outputs.map(\.name).sorted(),
                    "line \(index): \(String(lines[index]))")
        }
        for expected in reference.outputs {
            let values = rows.map { $0["outputs"]?[expected.name] ?? .null }
            try #require(values.allSatisfy { hasRowShape($0, of: expected) },
                         "\(expected.name): a row's value is not shaped like \(expected.shape.dropFirst())")
            let actual = try OutputElements(type: expected.type, leaves: values.flatMap(\.leaves), output: expected.name)
            let found = differences(of: actual, from: expected)
            #expect(found.isEmpty, "\(reference.name) through sluice score:\n\(found.joined(separator: "\n"))")
        }
    }

    /// `sluice score` writes a row's slice of each output: a scalar when it is one element, nested
    /// arrays otherwise, and an object per row for a map.
    private func hasRowShape(_ value: JSONValue, of output: ExpectedOutput) -> Bool {
        if output.type.hasPrefix("map(") { return value.object != nil }
        let dimensions = Array(output.shape.dropFirst())
        if dimensions.reduce(1, *) == 1 { return value.array == nil }
        func matches(_ value: JSONValue, _ dimensions: ArraySlice<Int>) -> Bool {
            guard let size = dimensions.first else { return value.array == nil }
            guard let items = value.array, items.count == size else { return false }
            return items.allSatisfy { matches($0, dimensions.dropFirst()) }
        }
        return matches(value, dimensions[...])
    }
}

/// The `sluice` executable SwiftPM built next to the test bundle.
enum SluiceCommand {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `sluice` with `arguments`, feeding it `standardInput`, and waits for it to exit.
    static func run(_ arguments: [String], standardInput: Data) throws -> Result {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let (input, output, error) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Standard error drains on its own thread so that neither pipe can fill up and stall the child.
        let errorText = ErrorCollector(error.fileHandleForReading)
        input.fileHandleForWriting.write(standardInput)
        try input.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: errorText.text())
    }

    static func executable() throws -> URL {
        let candidates = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .compactMap { $0?.deletingLastPathComponent().appendingPathComponent("sluice") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ReferenceError("no sluice executable next to the tests (looked at \(candidates.map(\.path))); run `swift build` first")
        }
        return found
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorCollector: @unchecked Sendable {
    // `data` is written once by the reading thread before `done` is signalled and read only after
    // waiting on `done`, so the semaphore orders every access.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
