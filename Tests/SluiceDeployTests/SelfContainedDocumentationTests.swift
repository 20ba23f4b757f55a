import Foundation
import Testing

/// A clone explains itself: nothing a user reads points outside the repository, and the README's
/// examples work as written.
@Suite struct SelfContainedDocumentationTests {
    static let userFacingFiles = ["README.md", "docs/ARCHITECTURE.md", "config/demo.yaml", "Docker/config/processor.yaml"]

    @Test(arguments: userFacingFiles)
    func pointsNowhereOutsideTheRepository(file: String) throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
        #expect(!text.contains("DESIGN.md"))
        #expect(!text.contains("../shared"))
    }

    @Test func runsHelpPointsNowhereOutsideTheRepository() throws {
        let run = try SluiceExecutable.run(["run", "--help"])
        #expect(run.status == 0)
        #expect(!run.standardOutput.contains("DESIGN.md"))
    }

    @Test func theReadmeLinksTheArchitectureAndTheLicenseIsThere() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(docs/ARCHITECTURE.md)"))
        let license = try String(contentsOf: repositoryRoot.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(license.contains("Apache License\n                           Version 2.0, January 2004"))
    }

    /// The embedded cluster answers an empty fetch only after `fetch.wait.max.ms`: every
    /// `sluice run` the README points at `sluice broker` must set it, or latency is 250-500 ms.
    @Test func everyRunAgainstTheEmbeddedBrokerInTheReadmeSetsTheFetchWait() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let runs = readme.split(separator: "\n").filter { $0.hasPrefix("sluice run ") && $0.contains("--bootstrap B") }
        #expect(!runs.isEmpty)
        for line in runs {
            #expect(line.contains("--property fetch.wait.max.ms=1"), "\(line)")
        }
    }
}
