import SluiceCommandLine
import ArgumentParser
import Foundation
import Logging
import SluiceKafka

/// `sluice tail`: what Sluice wrote, read back and laid out for a person.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Prints the records of an output topic (predictions by default) as they arrive, pretty-printed.",
        discussion: """
            Each record is a line naming its topic[partition]@offset, key and timestamp, its \
            sluice-* headers (a dead letter's tell why), then its value, indented when it is JSON. \
            --audit follows the audit topic as well: a prediction and its audit record share the \
            prediction id. Reads as a consumer of its own throw-away group and commits nothing. \
            Runs until --count records or SIGINT.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "The topic to read.")
    var topic = "predictions"

    @Flag(help: "Also read the audit topic (--audit-topic).")
    var audit = false

    @Option(help: "The audit topic read with --audit.")
    var auditTopic = "audit"

    @Flag(help: "Start at the oldest record kept instead of the records produced from now on.")
    var fromBeginning = false

    @Option(help: "Stop after this many records.")
    var count: Int?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, not \(count)") }
    }

    func run() throws {
        let (bootstrap, properties) = try connection.resolve()
        var configuration = KafkaConsumerConfiguration.readingBack(for: "tail", bootstrap: bootstrap, properties: properties)
        configuration.offsetReset = fromBeginning ? .earliest : .latest
        let topics = audit ? [topic, auditTopic] : [topic]
        let consumer: KafkaConsumer
        do throws(KafkaError) {
            consumer = try KafkaConsumer(configuration: configuration, logger: Logger(label: "sluice"))
            try consumer.subscribe(to: topics)
        } catch {
            printError("error: \(error.message)")
            throw CommandExit.invalid
        }
        printError("reading \(topics.joined(separator: " and ")) from \(bootstrap) (\(fromBeginning ? "from the beginning" : "new records"); SIGINT stops)")
        let batch = KafkaMessageBatch(capacity: 256)
        var printed = 0
        while count.map({ printed < $0 }) ?? true {
            try consumer.poll(into: batch, timeout: .milliseconds(200)) { _ in }
            var text = ""
            batch.forEach { message in
                guard count.map({ printed < $0 }) ?? true else { return }
                text += Self.describe(message) + "\n"
                printed += 1
            }
            // Unbuffered: a reader piping into less or grep sees each record as it arrives.
            if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
        }
        batch.release()
        try consumer.close()
    }

    /// One record for a person: where it is, its key, time and sluice-* headers, then its value.
    static func describe(_ message: KafkaMessage) -> String {
        var heading = "\(message.topic)[\(message.partition)]@\(message.offset)"
        if let key = message.key { heading += "  key \(String(decoding: key, as: UTF8.self))" }
        if let milliseconds = message.timestampMilliseconds {
            heading += "  " + Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
        }
        var lines = [heading]
        for (name, value) in message.copiedHeaders where name.hasPrefix("sluice-") {
            lines.append("  \(name): \(value.map { String(decoding: $0, as: UTF8.self) } ?? "null")")
        }
        lines.append(JSONIndentation.indented(String(decoding: message.value, as: UTF8.self)))
        return lines.joined(separator: "\n")
    }
}
