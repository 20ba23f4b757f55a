/// One of ``FraudEventGenerator``'s JSON events read back, for writing it in another format: the
/// fields of the demo's schema (`config/demo-events.avsc`, `config/demo-events.proto`).
struct GeneratedTransaction {
    var transactionID: [UInt8]
    var cardID: [UInt8]
    var amount: Double
    var currency: [UInt8]
    var features: [Double]
    var merchantRisk: Double
    var hour: Int32
    var accountAgeDays: Int64

    /// The event's fields, or `nil` for an event that does not fit the schema: the generator's
    /// malformed ones (truncated, `amount` a string or missing, 15 features).
    init?(json: [UInt8]) {
        guard let fields = GeneratedEventFields(json: json),
            case .string(let transaction) = fields["transaction_id"], case .string(let card) = fields["card_id"],
            case .number(let amount) = fields["amount"], case .string(let currency) = fields["currency"],
            case .numbers(let features) = fields["features"], features.count == 16,
            case .number(let risk) = fields["merchant_risk"], case .number(let hour) = fields["hour"],
            case .number(let age) = fields["account_age_days"],
            let hour = Int32(exactly: hour), let age = Int64(exactly: age)
        else { return nil }
        (transactionID, cardID, self.amount, self.currency, self.features) = (transaction, card, amount, currency, features)
        (merchantRisk, self.hour, accountAgeDays) = (risk, hour, age)
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
