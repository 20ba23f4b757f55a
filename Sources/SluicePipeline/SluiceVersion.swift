/// Sluice's version, in one place: `sluice --version` prints it, and the audit records of a
/// processor carry it as their `version`.
public enum SluiceVersion {
    public static let current = "0.1.0"
}
