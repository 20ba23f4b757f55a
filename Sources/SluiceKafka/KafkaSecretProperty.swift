/// Recognises librdkafka properties whose values are secrets (passwords, private keys, tokens,
/// JAAS and OAuth configurations), so that they are never printed.
public enum KafkaSecretProperty {
    private static let markers = ["password", "secret", "jaas.config", "oauthbearer.config", "key.pem", "token", "credentials"]

    /// Whether the property named `name` holds a secret.
    public static func contains(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return markers.contains { lowered.contains($0) }
    }

    /// `value`, or `<redacted>` when the property named `name` holds a secret.
    public static func printable(_ name: String, value: String) -> String {
        contains(name) ? "<redacted>" : value
    }
}
