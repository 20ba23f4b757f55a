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
        guard let fields = GeneratedEventFields(json: event),
            case .string(let transaction) = fields["transaction_id"], case .string(let card) = fields["card_id"],
            case .number(let amount) = fields["amount"], case .string(let currency) = fields["currency"],
            case .numbers(let features) = fields["features"], features.count == 16,
            case .number(let risk) = fields["merchant_risk"], case .number(let hour) = fields["hour"],
            case .number(let age) = fields["account_age_days"]
        else { return nil }
        var record: [UInt8] = []
        record.reserveCapacity(64 + 8 * features.count)
        AvroWriter.appendString(transaction, to: &record)
        AvroWriter.appendString(card, to: &record)
        AvroWriter.appendDouble(amount, to: &record)
        AvroWriter.appendString(currency, to: &record)
        AvroWriter.appendLong(Int64(features.count), to: &record)
        for feature in features { AvroWriter.appendDouble(feature, to: &record) }
        AvroWriter.appendLong(0, to: &record)
        AvroWriter.appendDouble(risk, to: &record)
        AvroWriter.appendLong(Int64(hour), to: &record)
        AvroWriter.appendLong(Int64(age), to: &record)
        return record
    }
}

/// The fields of one of ``FraudEventGenerator``'s JSON events: a flat object of strings (without
/// escapes), numbers and arrays of numbers. Read by hand, as Foundation's JSON parser made the
/// Avro generator ten times slower than the JSON one.
struct GeneratedEventFields {
    enum Value {
        case string([UInt8])
        case number(Double)
        case numbers([Double])
    }

    private var fields: [(name: [UInt8], value: Value)] = []

    /// The fields of `json`, or `nil` when it is not such an object (a truncated event).
    init?(json: [UInt8]) {
        var index = 0
        func skipSpaces() { while index < json.count, json[index] == 0x20 || json[index] == 0x0A { index += 1 } }
        func expect(_ byte: UInt8) -> Bool {
            skipSpaces()
            guard index < json.count, json[index] == byte else { return false }
            index += 1
            return true
        }
        func string() -> [UInt8]? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < json.count, json[index] != UInt8(ascii: "\"") {
                if json[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            guard index < json.count else { return nil }
            index += 1
            return Array(json[start..<(index - 1)])
        }
        func number() -> Double? {
            skipSpaces()
            let start = index
            while index < json.count, "+-.0123456789eE".utf8.contains(json[index]) { index += 1 }
            return Double(String(decoding: json[start..<index], as: UTF8.self))
        }
        guard expect(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let name = string(), expect(UInt8(ascii: ":")) else { return nil }
            skipSpaces()
            guard index < json.count else { return nil }
            switch json[index] {
            case UInt8(ascii: "\""):
                guard let text = string() else { return nil }
                fields.append((name, .string(text)))
            case UInt8(ascii: "["):
                index += 1
                var values: [Double] = []
                if !expect(UInt8(ascii: "]")) {
                    repeat {
                        guard let value = number() else { return nil }
                        values.append(value)
                    } while expect(UInt8(ascii: ","))
                    guard expect(UInt8(ascii: "]")) else { return nil }
                }
                fields.append((name, .numbers(values)))
            default:
                guard let value = number() else { return nil }
                fields.append((name, .number(value)))
            }
        } while expect(UInt8(ascii: ","))
        guard expect(UInt8(ascii: "}")) else { return nil }
    }

    subscript(name: String) -> Value? {
        let bytes = Array(name.utf8)
        return fields.first { $0.name == bytes }?.value
    }
}
