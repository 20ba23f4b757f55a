/// The demo's card transactions as Protobuf messages of `config/demo-events.proto`, written by
/// hand (proto3: fields in number order, a field at its default left out, `features` packed).
public enum FraudEventProtobuf {
    /// The message type, as `input.message` names it.
    public static let message = "sluice.demo.Transaction"

    /// The schema's text, as a Schema Registry takes a Protobuf schema: `config/demo-events.proto`'s
    /// declarations.
    public static let schema = """
        syntax = "proto3";
        package sluice.demo;

        message Transaction {
          string transaction_id = 1;
          string card_id = 2;
          double amount = 3;
          string currency = 4;
          repeated double features = 5;
          double merchant_risk = 6;
          int32 hour = 7;
          int64 account_age_days = 8;
        }
        """

    /// The message (without framing) of the JSON `event`, or `nil` when it does not fit the
    /// schema: the generator's malformed events.
    public static func message(ofJSON event: [UInt8]) -> [UInt8]? {
        guard let transaction = GeneratedTransaction(json: event) else { return nil }
        var message: [UInt8] = []
        message.reserveCapacity(64 + 8 * transaction.features.count)
        appendBytes(transaction.transactionID, field: 1, to: &message)
        appendBytes(transaction.cardID, field: 2, to: &message)
        appendDouble(transaction.amount, field: 3, to: &message)
        appendBytes(transaction.currency, field: 4, to: &message)
        if !transaction.features.isEmpty {
            appendVarint(UInt64(5 << 3 | 2), to: &message)
            appendVarint(UInt64(8 * transaction.features.count), to: &message)
            for feature in transaction.features { appendFixed64(feature.bitPattern, to: &message) }
        }
        appendDouble(transaction.merchantRisk, field: 6, to: &message)
        appendVarintField(UInt64(bitPattern: Int64(transaction.hour)), field: 7, to: &message)
        appendVarintField(UInt64(bitPattern: transaction.accountAgeDays), field: 8, to: &message)
        return message
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func appendFixed64(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func appendBytes(_ value: [UInt8], field: Int, to bytes: inout [UInt8]) {
        guard !value.isEmpty else { return }
        appendVarint(UInt64(field << 3 | 2), to: &bytes)
        appendVarint(UInt64(value.count), to: &bytes)
        bytes += value
    }

    private static func appendDouble(_ value: Double, field: Int, to bytes: inout [UInt8]) {
        // proto3 leaves a field at its default out; -0.0 is not the default.
        guard value.bitPattern != 0 else { return }
        appendVarint(UInt64(field << 3 | 1), to: &bytes)
        appendFixed64(value.bitPattern, to: &bytes)
    }

    private static func appendVarintField(_ value: UInt64, field: Int, to bytes: inout [UInt8]) {
        guard value != 0 else { return }
        appendVarint(UInt64(field << 3), to: &bytes)
        appendVarint(value, to: &bytes)
    }
}
