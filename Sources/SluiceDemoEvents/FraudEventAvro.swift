import SluicePipeline

/// The demo's card transactions as Avro: the writer's schema, and the Avro record of one of
/// ``FraudEventGenerator``'s JSON events.
public enum FraudEventAvro {
    /// The schema's subject in a Schema Registry, for the `events` topic's values.
    public static let subject = "events-value"

    /// The writer's schema: the JSON event's fields in its order, `features` an array of doubles.
    /// `config/demo-events.avsc` holds the same text, for `input.schema`.
    public static let schema = #"""
        {"type": "record", "name": "Transaction", "namespace": "sluice.demo", "fields": [
          {"name": "transaction_id", "type": "string"},
          {"name": "card_id", "type": "string"},
          {"name": "amount", "type": "double"},
          {"name": "currency", "type": "string"},
          {"name": "features", "type": {"type": "array", "items": "double"}},
          {"name": "merchant_risk", "type": "double"},
          {"name": "hour", "type": "int"},
          {"name": "account_age_days", "type": "long"}]}
        """#

    /// The Avro record (without framing) of the JSON `event`, or `nil` when it does not fit the
    /// schema: the generator's malformed events.
    public static func record(ofJSON event: [UInt8]) -> [UInt8]? {
        guard let transaction = GeneratedTransaction(json: event) else { return nil }
        var record: [UInt8] = []
        record.reserveCapacity(64 + 8 * transaction.features.count)
        AvroWriter.appendString(transaction.transactionID, to: &record)
        AvroWriter.appendString(transaction.cardID, to: &record)
        AvroWriter.appendDouble(transaction.amount, to: &record)
        AvroWriter.appendString(transaction.currency, to: &record)
        AvroWriter.appendLong(Int64(transaction.features.count), to: &record)
        for feature in transaction.features { AvroWriter.appendDouble(feature, to: &record) }
        AvroWriter.appendLong(0, to: &record)
        AvroWriter.appendDouble(transaction.merchantRisk, to: &record)
        AvroWriter.appendLong(Int64(transaction.hour), to: &record)
        AvroWriter.appendLong(Int64(transaction.accountAgeDays), to: &record)
        return record
    }
}
