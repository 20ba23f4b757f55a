"""Writes the Protobuf half of Tests/Fixtures/EventFormats: the same demo events as
make_event_format_fixtures.py, as Protobuf messages made by the `protobuf` package (independent of
Sluice's decoder), with their descriptor set, and malformed messages.

    .venv/bin/pip install protobuf fastavro
    .venv/bin/python Tests/Generators/make_protobuf_fixtures.py

The descriptor set is what `protoc --include_imports --descriptor_set_out=fraud.desc fraud.proto`
writes for the fraud.proto below; it is built here with descriptor_pb2 so that no protoc is needed.

Files: fraud.desc; fraud-without-risk.desc, the same without merchant_risk (as a
schema older than the events); events-proto.hex: one message a line, bare (no framing);
malformed-proto.tsv: `error_class<TAB>hex<TAB>what`.
"""
import json

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from make_event_format_fixtures import OUT, events

F = descriptor_pb2.FieldDescriptorProto

# fraud.proto, for reading: descriptor_set() builds its descriptors.
PROTO = """syntax = "proto3";
package sluice.demo;

message Device {
  bytes id = 1;
  bool trusted = 2;
  map<string, float> scores = 3;
}

enum Channel { POS = 0; WEB = 1; APP = 2; }

message Transaction {
  string transaction_id = 1;
  string card_id = 2;
  double amount = 3;
  string currency = 4;
  repeated double features = 5;
  optional double merchant_risk = 6;
  int32 hour = 7;
  int64 account_age_days = 8;
  Device device = 9;
  repeated string tags = 10;
  Channel channel = 11;
  sint32 offset = 12;
  fixed32 flags = 13;
}
"""


def descriptor_set():
    file = descriptor_pb2.FileDescriptorProto(name="fraud.proto", package="sluice.demo", syntax="proto3")
    device = file.message_type.add(name="Device")
    device.field.add(name="id", number=1, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL, json_name="id")
    device.field.add(name="trusted", number=2, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL, json_name="trusted")
    entry = device.nested_type.add(name="ScoresEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="key")
    entry.field.add(name="value", number=2, type=F.TYPE_FLOAT, label=F.LABEL_OPTIONAL, json_name="value")
    device.field.add(name="scores", number=3, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                     type_name=".sluice.demo.Device.ScoresEntry", json_name="scores")
    channel = file.enum_type.add(name="Channel")
    for number, name in enumerate(["POS", "WEB", "APP"]):
        channel.value.add(name=name, number=number)
    transaction = file.message_type.add(name="Transaction")
    fields = [
        ("transaction_id", 1, F.TYPE_STRING, F.LABEL_OPTIONAL, None),
        ("card_id", 2, F.TYPE_STRING, F.LABEL_OPTIONAL, None),
        ("amount", 3, F.TYPE_DOUBLE, F.LABEL_OPTIONAL, None),
        ("currency", 4, F.TYPE_STRING, F.LABEL_OPTIONAL, None),
        ("features", 5, F.TYPE_DOUBLE, F.LABEL_REPEATED, None),
        ("merchant_risk", 6, F.TYPE_DOUBLE, F.LABEL_OPTIONAL, None),
        ("hour", 7, F.TYPE_INT32, F.LABEL_OPTIONAL, None),
        ("account_age_days", 8, F.TYPE_INT64, F.LABEL_OPTIONAL, None),
        ("device", 9, F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".sluice.demo.Device"),
        ("tags", 10, F.TYPE_STRING, F.LABEL_REPEATED, None),
        ("channel", 11, F.TYPE_ENUM, F.LABEL_OPTIONAL, ".sluice.demo.Channel"),
        ("offset", 12, F.TYPE_SINT32, F.LABEL_OPTIONAL, None),
        ("flags", 13, F.TYPE_FIXED32, F.LABEL_OPTIONAL, None),
    ]
    for name, number, kind, label, type_name in fields:
        field = transaction.field.add(name=name, number=number, type=kind, label=label, json_name=name)
        if type_name:
            field.type_name = type_name
    # proto3 `optional`: a synthetic oneof gives merchant_risk explicit presence.
    transaction.oneof_decl.add(name="_merchant_risk")
    risk = transaction.field[5]
    risk.proto3_optional = True
    risk.oneof_index = 0
    return descriptor_pb2.FileDescriptorSet(file=[file])


def main():
    descriptors = descriptor_set()
    pool = descriptor_pool.DescriptorPool()
    pool.Add(descriptors.file[0])
    Transaction = message_factory.GetMessageClass(pool.FindMessageTypeByName("sluice.demo.Transaction"))
    (OUT / "fraud.desc").write_bytes(descriptors.SerializeToString())
    # An older reader's view: Transaction without merchant_risk (field 6 then is unknown).
    older = descriptor_pb2.FileDescriptorSet()
    older.CopyFrom(descriptors)
    fields = older.file[0].message_type[1].field
    del fields[5]
    del older.file[0].message_type[1].oneof_decl[:]
    (OUT / "fraud-without-risk.desc").write_bytes(older.SerializeToString())

    messages = []
    json_events = [json.loads(line) for line in (OUT / "events.jsonl").read_text().splitlines()]
    for index, (event, json_event) in enumerate(zip(events(64), json_events)):
        message = Transaction(
            transaction_id=event["transaction_id"], card_id=event["card_id"], amount=event["amount"], currency="EUR",
            features=event["features"], hour=event["hour"], account_age_days=event["account_age_days"],
            tags=["a", "bc"][: index % 3], channel=index % 3, offset=-index, flags=index,
        )
        if json_event["merchant_risk"] is not None:
            message.merchant_risk = json_event["merchant_risk"]
        if index % 2 == 0:
            message.device.id = b"\x01\x02\x03\x04"
            message.device.trusted = True
            message.device.scores["x"] = 0.5
        messages.append(message.SerializeToString())
    (OUT / "events-proto.hex").write_text("".join(m.hex() + "\n" for m in messages))

    sample = next(iter(events(1)))
    good = messages[0]

    def variant(**changes):
        fields = dict(transaction_id="t0", amount=sample["amount"], features=sample["features"], hour=sample["hour"],
                      account_age_days=sample["account_age_days"])
        fields.update(changes)
        return Transaction(**fields).SerializeToString()

    amount_as_varint = bytes([3 << 3 | 0, 7])  # field 3 with wire type 0 instead of 1
    cases = [
        ("malformed_payload", good[:-3], "truncated"),
        ("malformed_payload", amount_as_varint + good, "amount with the varint wire type"),
        ("malformed_payload", bytes([1 << 3 | 2, 0xFF, 0xFF, 0x03]) + good, "a length beyond the payload"),
        ("malformed_payload", bytes([0x80] * 11), "a varint longer than 10 bytes"),
        ("malformed_payload", bytes([15 << 3 | 3]) + good, "a group (wire type 3)"),
        ("malformed_payload", bytes([0]) + good, "field number 0"),
        ("wrong_length", variant(features=sample["features"][:15]), "15 features"),
        ("out_of_range", variant(amount=1e39), "amount beyond float range"),
    ]
    (OUT / "malformed-proto.tsv").write_text("".join(f"{c}\t{p.hex()}\t{what}\n" for c, p, what in cases))


if __name__ == "__main__":
    main()
