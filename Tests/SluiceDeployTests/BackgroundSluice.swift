import Foundation

/// `sluice arguments…` running in the background, its standard error kept in a file that a test
/// can wait on (a log line) while the command works.
final class BackgroundSluice {
    private let process = Process()
    private let errorFile: URL

    init(_ arguments: [String], in directory: URL = repositoryRoot) throws {
        errorFile = try temporaryDirectory().appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    /// What the command wrote to standard error so far.
    var standardError: String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until standard error contains `text`, or throws after `timeout` or when the command ended.
    func waitForStandardError(containing text: String, timeout: Duration = .seconds(60)) throws {
        let deadline = ContinuousClock.now + timeout
        while !standardError.contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw BackgroundSluiceError(message: "no '\(text)' on standard error: \(standardError)")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Waits for the command to end; returns its exit status.
    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Ends the command if it still runs (a test that failed midway).
    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct BackgroundSluiceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
