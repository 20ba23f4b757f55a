import Logging

/// How Sluice writes its log lines to standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Readable lines (``TextLogHandler``): time, level, logger, message, metadata.
    case text
    /// One JSON object per line (``JSONLogHandler``), for log shippers.
    case json

    /// Sends every logger of the process to standard error in this format at `level` and above.
    /// Call once, first thing: swift-log allows one bootstrap per process.
    public func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = TextLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
