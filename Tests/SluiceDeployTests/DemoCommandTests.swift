import Foundation
import Testing

/// `sluice demo` as a first-time user runs it.
@Suite struct DemoCommandTests {
    @Test func runsFromAnyDirectoryAndWritesNoCarriageReturnsIntoAFile() throws {
        let run = try SluiceExecutable.run(["demo", "--events", "300", "--no-metrics"], in: try temporaryDirectory())

        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("Sluice demo: 300 events"), "\(run.standardOutput)")
        #expect(!run.standardError.contains("\r"), "standard error is a pipe, not a terminal")
        #expect(run.standardError.contains("300/300 events"))
        // A model call on a small batch takes microseconds: the summary shows them.
        let modelLine = try #require(run.standardOutput.split(separator: "\n").first { $0.contains("model per batch") })
        #expect(modelLine.contains(/p50 \d+\.\d{3} ms/), "\(modelLine)")
        #expect(!modelLine.contains("p50 0.000 ms"), "\(modelLine)")
    }
}
