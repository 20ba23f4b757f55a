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
            while index < json.count, Self.isNumberByte(json[index]) { index += 1 }
            return Self.decimal(json[start..<index]) ?? Double(String(decoding: json[start..<index], as: UTF8.self))
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

    subscript(name: StaticString) -> Value? {
        let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return fields.first { $0.name.elementsEqual(bytes) }?.value
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// A plain decimal (`-12.3456`, as the generator writes them) of at most 15 digits: its digits
    /// and the power of ten are both exact doubles, so their quotient is the correctly rounded
    /// value, as `Double(String)` gives it. `nil` for anything else.
    private static func decimal(_ text: ArraySlice<UInt8>) -> Double? {
        var mantissa: Int64 = 0
        var digits = 0
        var decimals: Int?
        var negative = false
        for (offset, byte) in zip(0..., text) {
            switch byte {
            case UInt8(ascii: "-") where offset == 0: negative = true
            case UInt8(ascii: ".") where decimals == nil: decimals = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                mantissa = mantissa * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
                if let counted = decimals { decimals = counted + 1 }
            default: return nil
            }
        }
        guard digits > 0, digits <= 15 else { return nil }
        let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]
        let value = Double(mantissa) / powersOfTen[decimals ?? 0]
        return negative ? -value : value
    }
}
