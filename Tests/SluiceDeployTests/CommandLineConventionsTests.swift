import Foundation
import SluicePipeline
import Testing

/// What every `sluice` command shares: its version, one error style with documented exit
/// statuses, and messages a user can act on.
@Suite struct CommandLineConventionsTests {
    @Test func versionPrintsTheVersionTheRecordsCarry() throws {
        let run = try SluiceExecutable.run(["--version"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "\(SluiceVersion.current)\n")
    }

    @Test func aCommandLineErrorIsAnErrorLineWithTheUsageAndExitsTwo() throws {
        let run = try SluiceExecutable.run(["run"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error: Missing expected argument '--config <config>'"), "\(run.standardError)")
        #expect(run.standardError.contains("Usage: sluice run"))
    }

    @Test func aDirectoryGivenAsTheModelIsNamedAsADirectory() throws {
        let run = try SluiceExecutable.run(["score", "--model", "Models"])
        #expect(run.status == 2)
        #expect(run.standardError == "error: cannot load model Models: it is a directory; give the path of the .onnx file in it\n")
    }

    @Test func aModelThatCannotBeInspectedIsAnErrorLineAndExitsTwo() throws {
        let run = try SluiceExecutable.run(["model", "inspect", "README.md"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error: cannot load model README.md: "), "\(run.standardError)")
    }

    @Test func anAddressTheEndpointCannotTakeIsNamedWithAHint() throws {
        // 192.0.2.0/24 is reserved for documentation: no host has it, so binding always fails.
        let run = try SluiceExecutable.run(["run", "--config", "config/demo.yaml", "--http-listen", "192.0.2.1:9464"])
        #expect(run.status == 2)
        let last = run.standardError.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            last == "error: http.listen: cannot listen on 192.0.2.1:9464: Cannot assign requested address; "
                + "--http-listen HOST:PORT picks another address, --no-metrics serves none",
            "\(run.standardError)"
        )
    }

    @Test func logLinesNameTheProcessNotTheSwiftModule() throws {
        let run = try SluiceExecutable.run(["run", "--config", "config/demo.yaml", "--http-listen", "192.0.2.1:9464"])
        let configurationLine = try #require(run.standardError.split(separator: "\n").first { $0.contains("effective configuration") })
        #expect(configurationLine.hasSuffix(" info sluice: effective configuration (secrets redacted):"), "\(configurationLine)")
        #expect(!run.standardError.contains("[SluiceObservability]"))
        #expect(run.standardError.contains("\n    group: \"sluice-fraud\"\n"), "the configuration is logged one YAML line per line")
    }

    @Test func topicsApplyTellsWhatItIsWaitingFor() throws {
        let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", "127.0.0.1:1", "--timeout", "1"])
        #expect(run.status == 3)
        #expect(run.standardError.hasPrefix("asking 127.0.0.1:1 about "), "\(run.standardError)")
        #expect(run.standardError.contains("each answer may take up to 1 s (--timeout)"))
    }

    @Test func shellCompletionScriptsAreGeneratedAndDocumented() throws {
        let run = try SluiceExecutable.run(["--generate-completion-script", "bash"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("_sluice"))
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("sluice --generate-completion-script"))
    }
}
