import ArgumentParser
import Foundation
import SluiceCommandLine
import SluiceModel
import SluicePipeline

extension ModelCommand {
    /// `sluice model validate --model M --golden FILE`
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a model reproduces a golden file's outputs, as model.validation does before a model serves.",
            discussion: """
                Scores every case of the golden file (JSON lines written by `sluice model golden`) \
                and compares each listed output within the tolerance: relative to the expected \
                value above 1, absolute below. Prints one line per case not reproduced (at most \
                20) and a summary. Exit status: 0 when every case is reproduced; 1 when one is not \
                (a different value, a missing output, an input the model does not take); 2 when \
                the model cannot be loaded or the golden file cannot be read.
                """
        )

        @Option(help: "The .onnx file.")
        var model: String

        @Option(help: "The golden file (JSON lines).")
        var golden: String

        @Option(help: "How far an output may be from the expected one.")
        var tolerance: Double = ModelValidation.defaultTolerance

        func validate() throws {
            guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a number at least 0") }
        }

        func run() throws {
            let validation: ModelValidation
            let loaded: Model
            do {
                loaded = try ModelFile.load(model)
                validation = try ModelValidation(goldenFile: golden, tolerance: tolerance)
            } catch {
                printError("error: \(error)")
                throw CommandExit.invalid
            }
            let report = validation.check(loaded)
            for failure in report.failures.prefix(20) { print(failure) }
            print(report)
            if !report.passed { throw CommandExit.failure }
        }
    }

    /// `sluice model golden --model M --input EVENTS`
    struct Golden: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a golden file: each input row with a trusted model's outputs.",
            discussion: """
                Reads JSON lines of model inputs ({"inputs":{"<input>":[…]}}; for a single-input \
                model also {"features":[…]} or a bare array, as `sluice score` reads) and writes \
                one golden case per line, for `sluice model validate` and model.validation. Exit \
                status: 0 when every line was written; 2 when the model cannot be loaded or a \
                line cannot be scored (its number is given); 1 when reading or writing fails.
                """
        )

        @Option(help: "The trusted .onnx file.")
        var model: String

        @Option(help: "The input rows (JSON lines); - for standard input.")
        var input: String

        @Option(help: "Where to write the golden file; standard output by default.")
        var output: String?

        func run() throws {
            let writer: GoldenFileWriter
            do {
                writer = GoldenFileWriter(model: try ModelFile.load(model))
            } catch {
                printError("error: \(error)")
                throw CommandExit.invalid
            }
            guard let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: input) else {
                printError("error: cannot read \(input)")
                throw CommandExit.failure
            }
            var lines = ""
            for (index, text) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !text.allSatisfy(\.isWhitespace) {
                do {
                    lines += try writer.goldenLine(for: text, line: index + 1) + "\n"
                } catch {
                    printError("error: \(input): \(error)")
                    throw CommandExit.invalid
                }
            }
            guard let output else { return print(lines, terminator: "") }
            do {
                try lines.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                printError("error: cannot write \(output): \(error.localizedDescription)")
                throw CommandExit.failure
            }
        }
    }
}
