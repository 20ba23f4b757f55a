import Foundation
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
        guard let object = try? JSONSerialization.jsonObject(with: Data(event)) as? [String: Any],
            let transaction = object["transaction_id"] as? String, let card = object["card_id"] as? String,
            let amount = number(object["amount"]), let currency = object["currency"] as? String,
            let features = object["features"] as? [Any], features.count == 16,
            let risk = number(object["merchant_risk"]), let hour = number(object["hour"]), let age = number(object["account_age_days"])
        else { return nil }
        var record: [UInt8] = []
        AvroWriter.appendString(Array(transaction.utf8), to: &record)
        AvroWriter.appendString(Array(card.utf8), to: &record)
        AvroWriter.appendDouble(amount, to: &record)
        AvroWriter.appendString(Array(currency.utf8), to: &record)
        AvroWriter.appendLong(Int64(features.count), to: &record)
        for feature in features {
            guard let value = number(feature) else { return nil }
            AvroWriter.appendDouble(value, to: &record)
        }
        AvroWriter.appendLong(0, to: &record)
        AvroWriter.appendDouble(risk, to: &record)
        AvroWriter.appendLong(Int64(hour), to: &record)
        AvroWriter.appendLong(Int64(age), to: &record)
        return record
    }

    private static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, !(value is String) else { return nil }
        return number.doubleValue
    }
}
