import ArgumentParser
import Logging
import SluiceObservability
import SluicePipeline

/// The options `sluice run` and `sluice demo` share for metrics, the HTTP endpoint and logs.
struct ObservabilityOptions: ParsableArguments {
    @Flag(name: .customLong("no-metrics"), help: "Serve no metrics, health or readiness endpoint and record nothing (http.enabled: false).")
    var noMetrics = false

    @Option(name: .customLong("http-listen"), help: "host:port of the metrics, health and readiness endpoint (http.listen; port 0 picks one).")
    var httpListen: String?

    @Option(name: .customLong("log-format"), help: "Log lines on standard error as 'text' (readable) or 'json' (one object per line).")
    var logFormat: LogFormat = .text

    @Option(name: .customLong("log-level"), help: "The lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Applies `--no-metrics` and `--http-listen` to `configuration`.
    func apply(to configuration: inout SluiceConfiguration) {
        if noMetrics { configuration.http.isEnabled = false }
        if let httpListen { configuration.http.listen = httpListen }
    }

    /// Sends the process's logs to standard error in the chosen format and level.
    func bootstrapLogging() {
        logFormat.bootstrap(level: logLevel)
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
