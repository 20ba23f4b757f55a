"""Writes Tests/Fixtures/EventFormats: the demo's card transactions as JSON and as Avro (made by
fastavro, independent of Sluice's decoder), under three writer schemas, and malformed Avro events
(make_protobuf_fixtures.py writes the same events as Protobuf).

    python3 -m venv .venv && .venv/bin/pip install fastavro
    .venv/bin/python Tests/Generators/make_event_format_fixtures.py

Files:
- fraud-v1.avsc: the demo event's schema (config/demo-events.avsc); fraud-v2.avsc: a newer writer (added fields of every
  kind, merchant_risk nullable); fraud-v0.avsc: an older writer without merchant_risk (whose
  feature has a default); fraud-no-amount.avsc and fraud-amount-string.avsc: writers the features
  cannot use.
- events.jsonl: the events as JSON, one a line; events-v1.hex, events-v2.hex, events-v0.hex: the
  same events as bare Avro records under each schema, hex, one a line.
- malformed.tsv: `error_class<TAB>schema id<TAB>hex of the Confluent-framed payload<TAB>what`.
- registry.tsv: `schema id<TAB>file`: the schemas the tests' registry serves.
"""
import io
import json
import random
from pathlib import Path

import fastavro

OUT = Path(__file__).resolve().parent.parent / "Fixtures" / "EventFormats"


def schema(name, fields):
    return {"type": "record", "name": name, "namespace": "sluice.demo", "fields": fields}


# The demo's events' schema, as `sluice generate --format avro` writes them.
V1 = json.loads((Path(__file__).resolve().parent.parent.parent / "config" / "demo-events.avsc").read_text())
V2 = schema("Transaction", [
    {"name": "transaction_id", "type": "string"},
    {"name": "channel", "type": {"type": "enum", "name": "Channel", "symbols": ["POS", "WEB", "APP"]}, "default": "POS"},
    {"name": "card_id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "device", "type": ["null", {"type": "record", "name": "Device", "fields": [
        {"name": "id", "type": {"type": "fixed", "name": "DeviceID", "size": 4}},
        {"name": "trusted", "type": "boolean"},
        {"name": "scores", "type": {"type": "map", "values": "float"}},
    ]}], "default": None},
    {"name": "currency", "type": "string"},
    {"name": "features", "type": {"type": "array", "items": "double"}},
    {"name": "merchant_risk", "type": ["null", "double"], "default": None},
    {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
    {"name": "hour", "type": "int"},
    {"name": "account_age_days", "type": "long"},
    {"name": "raw", "type": "bytes", "default": ""},
])
V0 = schema("Transaction", [f for f in V1["fields"] if f["name"] != "merchant_risk"])
NO_AMOUNT = schema("Transaction", [f for f in V1["fields"] if f["name"] != "amount"])
AMOUNT_STRING = schema("Transaction", [dict(f, type="string") if f["name"] == "amount" else f for f in V1["fields"]])

SCHEMAS = {1: ("fraud-v1.avsc", V1), 2: ("fraud-v2.avsc", V2), 3: ("fraud-v0.avsc", V0),
           4: ("fraud-no-amount.avsc", NO_AMOUNT), 5: ("fraud-amount-string.avsc", AMOUNT_STRING)}


def events(count):
    rng = random.Random(18)
    for index in range(count):
        yield {
            "transaction_id": f"t{index}",
            "card_id": f"c{rng.randrange(50000)}",
            "amount": round(rng.lognormvariate(3.5, 1.2), 2),
            "currency": "EUR",
            "features": [round(rng.gauss(0, 1), 4) for _ in range(16)],
            "merchant_risk": round(rng.betavariate(2, 5), 4),
            "hour": rng.randrange(24),
            "account_age_days": int(rng.expovariate(1 / 700)),
        }


def avro(writer, record):
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(writer), record)
    return buffer.getvalue()


def as_v2(event, index):
    record = dict(event, channel=["POS", "WEB", "APP"][index % 3], tags=["a", "bc"][: index % 3], raw=bytes(index % 5))
    record["device"] = None if index % 2 else {"id": b"\x01\x02\x03\x04", "trusted": True, "scores": {"x": 0.5, "y": 1.5}}
    if index % 4 == 3:
        record["merchant_risk"] = None  # the feature's default applies, as for JSON null
    return record


def framed(schema_id, body):
    return bytes([0]) + schema_id.to_bytes(4, "big") + body


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for schema_id, (name, writer) in SCHEMAS.items():
        (OUT / name).write_text(json.dumps(writer, indent=2) + "\n")
    (OUT / "registry.tsv").write_text("".join(f"{i}\t{name}\n" for i, (name, _) in SCHEMAS.items()))
    sample = list(events(64))
    json_lines, v1, v2, v0 = [], [], [], []
    for index, event in enumerate(sample):
        v2_record = as_v2(event, index)
        json_event = dict(event, merchant_risk=v2_record["merchant_risk"])
        json_lines.append(json.dumps(json_event, separators=(",", ":")))
        v1.append(avro(V1, dict(event, merchant_risk=json_event["merchant_risk"] if json_event["merchant_risk"] is not None else 0.0)))
        v2.append(avro(V2, v2_record))
        v0.append(avro(V0, {k: v for k, v in event.items() if k != "merchant_risk"}))
    (OUT / "events.jsonl").write_text("\n".join(json_lines) + "\n")
    for name, payloads in (("events-v1.hex", v1), ("events-v2.hex", v2), ("events-v0.hex", v0)):
        (OUT / name).write_text("".join(p.hex() + "\n" for p in payloads))

    good = v1[0]
    cases = [
        ("invalid_wire_format", 1, bytes([1]) + (1).to_bytes(4, "big") + good, "magic byte 1"),
        ("invalid_wire_format", 1, bytes([0, 0, 0]), "shorter than the header"),
        ("unknown_schema", 99, framed(99, good), "an id the registry does not have"),
        ("malformed_payload", 1, framed(1, good[:-3]), "truncated"),
        ("malformed_payload", 1, framed(1, good + b"\x00"), "a byte after the record"),
        ("malformed_payload", 1, framed(1, b"\xfe\xff\xff\xff\x0f" + good[3:]), "a string length beyond the payload"),
        ("malformed_payload", 1, framed(1, b"\x80" * 11), "a varint longer than 10 bytes"),
        ("malformed_payload", 2, framed(2, avro(V2, as_v2(sample[1], 1))[:-1]), "v2 truncated in its last field"),
        ("wrong_length", 1, framed(1, avro(V1, dict(sample[0], features=sample[0]["features"][:15]))), "15 features"),
        ("out_of_range", 1, framed(1, avro(V1, dict(sample[0], amount=1e39))), "amount beyond float range"),
        ("missing_feature", 4, framed(4, avro(NO_AMOUNT, {k: v for k, v in sample[0].items() if k != "amount"})), "the writer has no amount"),
        ("wrong_type", 5, framed(5, avro(AMOUNT_STRING, dict(sample[0], amount="12.50"))), "amount is a string"),
    ]
    bad_branch = bytearray(framed(2, avro(V2, dict(as_v2(sample[1], 1), merchant_risk=None))))
    # merchant_risk's union index is the first byte where the event with a null there differs
    # from the same event with a value.
    with_value = framed(2, avro(V2, as_v2(sample[1], 1)))
    position = next(i for i in range(len(bad_branch)) if bad_branch[i] != with_value[i])
    bad_branch[position] = 0x0A  # union branch 5 of 2
    cases.append(("malformed_payload", 2, bytes(bad_branch), "union branch 5 of 2"))
    (OUT / "malformed.tsv").write_text("".join(f"{c}\t{i}\t{p.hex()}\t{what}\n" for c, i, p, what in cases))


if __name__ == "__main__":
    main()
