import Foundation

/// The `sluice` command as a user runs it: the executable `swift build --build-tests` puts next to
/// the test bundle.
struct SluiceExecutable {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    /// Runs `sluice arguments…` to its end, in `directory` (the repository's root by default),
    /// with `input` on its standard input (none by default).
    static func run(_ arguments: [String], in directory: URL = repositoryRoot, input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let (stdout, stderr) = (Pipe(), Pipe())
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input {
            // Written on its own thread, so that a command answering as it reads cannot stall on
            // a full output pipe.
            Thread.detachNewThread {
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
            }
        }
        // Standard error is drained on its own thread: a full pipe would stall the command.
        nonisolated(unsafe) var error = Data()
        let errorDrained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            error = stderr.fileHandleForReading.readDataToEndOfFile()
            errorDrained.signal()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        errorDrained.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self)
        )
    }
}

/// The repository's root directory.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh empty directory.
func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// A fresh directory holding `topics.yaml` with `text`, for `sluice topics apply --topics`.
func topicsDirectory(containing text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-topics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try text.write(to: directory.appendingPathComponent("topics.yaml"), atomically: true, encoding: .utf8)
    return directory.path
}
