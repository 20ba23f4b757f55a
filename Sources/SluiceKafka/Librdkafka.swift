import CRdKafka

/// Facts about the librdkafka library Sluice is linked against.
public enum Librdkafka {
    /// librdkafka's version string, such as `"2.0.2"`.
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
