import Foundation

/// The record a processor writes to `monitoring.topic` after every window of events
/// (`Topics/schemas/drift.schema.json`): the window's ``DriftReport`` with when and by whom it was made.
public struct DriftRecord: Codable, Sendable, Hashable {
    /// Always `drift`, so that a consumer of mixed records can tell it apart.
    public var record = "drift"
    /// When the window closed, milliseconds since 1970.
    public var timestampMilliseconds: Int64
    /// The processor instance that watched the window.
    public var processor: String
    public var report: DriftReport
    /// The names of the columns that drifted in this window.
    public var drifted: [String]

    public init(report: DriftReport, processor: String, timestampMilliseconds: Int64) {
        self.report = report
        self.processor = processor
        self.timestampMilliseconds = timestampMilliseconds
        drifted = report.drifted
    }

    enum CodingKeys: String, CodingKey {
        case record, processor, report, drifted
        case timestampMilliseconds = "timestamp_ms"
    }

    /// The record as compact JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
