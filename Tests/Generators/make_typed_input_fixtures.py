"""Writes Tests/Fixtures/TypedInputs: events for models with several typed, named inputs as JSON,
as Avro (made by fastavro) and as Protobuf (made by the `protobuf` package), independent of
Sluice's decoders, so that the tests can check that each format fills the model's inputs alike.

    python3 -m venv .venv && .venv/bin/pip install fastavro protobuf
    .venv/bin/python Tests/Generators/make_typed_input_fixtures.py

Files (`*.hex`: one bare event a line, no framing; `*.jsonl`: the same events as JSON):
- transactions: the 20 reference rows of Models/references/column-transformer-logistic.json (the
  boosting model's are the same), each input in the field of its name. transactions-v1.avsc
  (channel an enum, read as its symbol's name), transactions-v2.avsc (a newer writer: added
  fields of several kinds), transactions-v0.avsc (an older writer without channel; its JSON,
  transactions-v0.jsonl, lacks channel too); transactions-proto.hex, message
  sluice.typed.Transaction of typed.desc.
- two-inputs: Models/references/torch-two-inputs.json's rows as {"tx": [6], "past": {"values":
  [4]}} (two-inputs.avsc; sluice.typed.TwoInputs).
- kinds: one field of every input element type (double, int64, int32, bool, string and an int64
  array), values at the edges of each (kinds.avsc; sluice.typed.Kinds).
- registry-proto.hex: transactions as Protobuf in the Confluent wire format with schema id 7 and
  the message-index list [1] (Transaction is the file's second message), for the registry tests;
  typed-file.bin: typed.proto's FileDescriptorProto, the registry's serialized form of it.
"""
import io
import json
from pathlib import Path

import fastavro
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "TypedInputs"
F = descriptor_pb2.FieldDescriptorProto


def record(name, fields):
    return {"type": "record", "name": name, "namespace": "sluice.typed", "fields": fields}


CHANNELS = ["web", "store", "phone"]
V1 = record("Transaction", [
    {"name": "amount", "type": "double"},
    {"name": "account_age_days", "type": "long"},
    {"name": "country", "type": "string"},
    {"name": "channel", "type": {"type": "enum", "name": "Channel", "symbols": CHANNELS}},
])
V2 = record("Transaction", [
    {"name": "transaction_id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "merchant", "type": ["null", record("Merchant", [
        {"name": "id", "type": "long"}, {"name": "tags", "type": {"type": "array", "items": "string"}}])], "default": None},
    {"name": "account_age_days", "type": "long"},
    {"name": "country", "type": "string"},
    {"name": "scores", "type": {"type": "map", "values": "double"}, "default": {}},
    {"name": "channel", "type": {"type": "enum", "name": "Channel", "symbols": CHANNELS + ["kiosk"]}},
    {"name": "flagged", "type": "boolean", "default": False},
])
V0 = record("Transaction", [f for f in V1["fields"] if f["name"] != "channel"])
TWO_INPUTS = record("TwoInputs", [
    {"name": "tx", "type": {"type": "array", "items": "float"}},
    {"name": "past", "type": record("History", [{"name": "values", "type": {"type": "array", "items": "double"}}])},
])
KINDS = record("Kinds", [
    {"name": "d", "type": "double"},
    {"name": "i64", "type": "long"},
    {"name": "i32", "type": "int"},
    {"name": "b", "type": "boolean"},
    {"name": "s", "type": "string"},
    {"name": "ids", "type": {"type": "array", "items": "long"}},
])
KIND_EVENTS = [
    {"d": 0.1, "i64": 9007199254740993, "i32": -2147483648, "b": True, "s": "FR", "ids": [1, -2, 3]},
    {"d": -1e300, "i64": -9223372036854775808, "i32": 2147483647, "b": False, "s": "", "ids": [0, 0, 999999999999999999]},
    {"d": 5e-324, "i64": 0, "i32": 0, "b": True, "s": "Zürich ✓", "ids": [7, 8, 9]},
]


def descriptor_set():
    """typed.proto: Kinds, Transaction and TwoInputs (with its History), in that order."""
    file = descriptor_pb2.FileDescriptorProto(name="typed.proto", package="sluice.typed", syntax="proto3")

    def message(name, fields, into=file.message_type):
        described = into.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            field = described.field.add(name=field_name, number=number, type=kind, label=label, json_name=field_name)
            if type_name:
                field.type_name = type_name
        return described

    optional, repeated = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("Kinds", [("d", 1, F.TYPE_DOUBLE, optional, None), ("i64", 2, F.TYPE_SINT64, optional, None),
                      ("i32", 3, F.TYPE_INT32, optional, None), ("b", 4, F.TYPE_BOOL, optional, None),
                      ("s", 5, F.TYPE_STRING, optional, None), ("ids", 6, F.TYPE_INT64, repeated, None)])
    message("Transaction", [("transaction_id", 1, F.TYPE_STRING, optional, None), ("amount", 2, F.TYPE_DOUBLE, optional, None),
                            ("account_age_days", 3, F.TYPE_INT64, optional, None), ("country", 4, F.TYPE_STRING, optional, None),
                            ("channel", 5, F.TYPE_STRING, optional, None), ("flagged", 6, F.TYPE_BOOL, optional, None)])
    two = message("TwoInputs", [("tx", 1, F.TYPE_FLOAT, repeated, None),
                                ("past", 2, F.TYPE_MESSAGE, optional, ".sluice.typed.TwoInputs.History")])
    message("History", [("values", 1, F.TYPE_DOUBLE, repeated, None)], into=two.nested_type)
    return descriptor_pb2.FileDescriptorSet(file=[file])


def avro(writer, value):
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(writer), value)
    return buffer.getvalue()


def reference(name):
    data = json.loads((ROOT / "Models" / "references" / f"{name}.json").read_text())
    return {item["name"]: item["data"] for item in data["inputs"]}


def lines(path, items):
    path.write_text("".join(item + "\n" for item in items))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, schema in (("transactions-v1.avsc", V1), ("transactions-v2.avsc", V2), ("transactions-v0.avsc", V0),
                         ("two-inputs.avsc", TWO_INPUTS), ("kinds.avsc", KINDS)):
        (OUT / name).write_text(json.dumps(schema, indent=2) + "\n")
    descriptors = descriptor_set()
    (OUT / "typed.desc").write_bytes(descriptors.SerializeToString())
    # What a Schema Registry answers for typed.proto with ?format=serialized, decoded from base64.
    (OUT / "typed-file.bin").write_bytes(descriptors.file[0].SerializeToString())
    pool = descriptor_pool.DescriptorPool()
    pool.Add(descriptors.file[0])
    proto = {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"sluice.typed.{name}"))
             for name in ("Kinds", "Transaction", "TwoInputs")}

    inputs = reference("column-transformer-logistic")
    # The reference's channels are all known; its last row has a country the encoder never saw.
    transactions = [{"amount": inputs["amount"][row][0], "account_age_days": int(inputs["account_age_days"][row][0]),
                     "country": inputs["country"][row][0], "channel": inputs["channel"][row][0]}
                    for row in range(len(inputs["amount"]))]
    lines(OUT / "transactions.jsonl", [json.dumps(t) for t in transactions])
    lines(OUT / "transactions-v0.jsonl", [json.dumps({k: v for k, v in t.items() if k != "channel"}) for t in transactions])
    lines(OUT / "transactions-v1.hex", [avro(V1, t).hex() for t in transactions])
    lines(OUT / "transactions-v2.hex", [avro(V2, dict(
        t, transaction_id=f"t{i}", merchant=None if i % 2 else {"id": i, "tags": ["a"] * (i % 3)},
        scores={"x": 0.5} if i % 3 else {}, flagged=i % 2 == 0)).hex() for i, t in enumerate(transactions)])
    lines(OUT / "transactions-v0.hex", [avro(V0, {k: v for k, v in t.items() if k != "channel"}).hex() for t in transactions])
    messages = [proto["Transaction"](transaction_id=f"t{i}", flagged=i % 2 == 0, **t).SerializeToString() for i, t in enumerate(transactions)]
    lines(OUT / "transactions-proto.hex", [m.hex() for m in messages])
    # Confluent framing: magic byte, schema id 7, message indexes [1] as a zig-zag count then index.
    lines(OUT / "registry-proto.hex", [(bytes([0]) + (7).to_bytes(4, "big") + bytes([2, 2]) + m).hex() for m in messages])

    two = reference("torch-two-inputs")
    pairs = list(zip(two["transaction"], two["history"]))
    lines(OUT / "two-inputs.jsonl", [json.dumps({"tx": tx, "past": {"values": past}}) for tx, past in pairs])
    lines(OUT / "two-inputs-avro.hex", [avro(TWO_INPUTS, {"tx": tx, "past": {"values": past}}).hex() for tx, past in pairs])
    lines(OUT / "two-inputs-proto.hex", [proto["TwoInputs"](tx=tx, past={"values": past}).SerializeToString().hex() for tx, past in pairs])

    lines(OUT / "kinds.jsonl", [json.dumps(k, ensure_ascii=False) for k in KIND_EVENTS])
    lines(OUT / "kinds-avro.hex", [avro(KINDS, k).hex() for k in KIND_EVENTS])
    lines(OUT / "kinds-proto.hex", [proto["Kinds"](**k).SerializeToString().hex() for k in KIND_EVENTS])


if __name__ == "__main__":
    main()
