#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (committed; rerun after changing a case here).

Corpus/FeatureDecoder: events for the demo's features, valid and hostile (issue 23's list: random
bytes, truncated JSON, deep nesting, 1e400, NaN literals, invalid UTF-8, duplicate keys, ...).
Corpus/AvroDecoder, Corpus/ProtobufDecoder: Avro records and Protobuf messages of
Tests/Fixtures/EventFormats (made with fastavro and protobuf), valid and malformed.
Corpus/ModelLoader: small models from Models/ (which must load) and Tests/SluiceModelTests/Fixtures
(fixture-*, valid and invalid), broken files (broken-*, which must not load) and a mutated model.
"""

import json
import random
import shutil
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPOSITORY = FUZZ.parent

VALID = {"transaction_id": "t1", "card_id": "c42", "amount": 31.07, "currency": "EUR",
         "features": [0.1234, -1.5, 0.0, 2.25, -0.75, 1.0, 0.5, -0.25, 0.125, 3.5, -2.0, 0.3333, 1.75, -0.6, 0.9, 0.05],
         "merchant_risk": 0.2127, "hour": 14, "account_age_days": 388}


def event(**changes):
    body = dict(VALID)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return json.dumps(body, separators=(",", ":")).encode()


def decoder_cases():
    valid = event()
    rng = random.Random(23)
    return {
        "valid-demo-event.json": valid,
        "valid-pretty.json": json.dumps(VALID, indent=2).encode(),
        "valid-defaults.json": event(merchant_risk=None),
        "valid-nested-card.json": valid[:-1] + b',"card":{"risk":{"score":0.5}}}',
        "valid-booleans.json": event(hour=True, account_age_days=False),
        "valid-escaped-key.json": valid.replace(b'"amount"', b'"am\\u006funt"'),
        "valid-unicode-strings.json": event(currency="\u20ac\U0001F4B3", card_id="\\\"\n"),
        "valid-exponents.json": event(amount=1.5e-7, hour=2e1),
        "duplicate-keys-last-wins.json": valid[:-1] + b',"amount":99.5}',
        "duplicate-key-wrong-type.json": valid[:-1] + b',"amount":"99.5"}',
        "duplicate-parent-object.json": valid[:-1] + b',"card":{"risk":{"score":1}},"card":null}',
        "out-of-range-1e400.json": valid.replace(b"31.07", b"1e400"),
        "out-of-range-negative-1e400.json": valid.replace(b"31.07", b"-1e400"),
        "out-of-range-1e39.json": valid.replace(b"31.07", b"1e39"),
        "out-of-range-400-digits.json": valid.replace(b"31.07", b"9" * 400),
        "tiny-1e-400.json": valid.replace(b"31.07", b"1e-400"),
        "nan-literal.json": valid.replace(b"31.07", b"NaN"),
        "infinity-literal.json": valid.replace(b"31.07", b"-Infinity"),
        "leading-zero.json": valid.replace(b"31.07", b"031.07"),
        "trailing-comma.json": valid[:-1] + b",}",
        "comment.json": b"/* a comment */" + valid,
        "truncated-in-key.json": valid[:40],
        "truncated-in-array.json": valid[: valid.index(b"features") + 30],
        "truncated-in-number.json": valid[: valid.index(b"31.0") + 3],
        "truncated-last-brace.json": valid[:-1],
        "deep-nesting-100000.json": b'{"payload":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "deep-nesting-in-a-feature.json": b'{"amount":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "deep-objects-200.json": b'{"card":' + b'{"a":' * 200 + b"1" + b"}" * 201,
        "invalid-utf8-in-string.json": valid.replace(b'"EUR"', b'"E\xff\xc3R"'),
        "invalid-utf8-in-key.json": valid.replace(b'"hour"', b'"h\xc0\xafur"'),
        "control-character-in-string.json": valid.replace(b'"EUR"', b'"E\x01R"'),
        "bad-escape.json": valid.replace(b'"EUR"', b'"E\\xR"'),
        "features-too-short.json": event(features=VALID["features"][:15]),
        "features-too-long.json": event(features=VALID["features"] + [1.0]),
        "features-not-array.json": event(features="0.1,0.2"),
        "features-with-nulls.json": event(features=[None] * 16),
        "amount-string.json": event(amount="12.50"),
        "amount-missing.json": event(amount=None),
        "card-not-object.json": valid[:-1] + b',"card":[1,2]}',
        "top-level-array.json": b"[" + valid + b"]",
        "top-level-number.json": b"42",
        "two-values.json": valid + b" " + valid,
        "byte-order-mark.json": b"\xef\xbb\xbf" + valid,
        "empty": b"",
        "whitespace-only": b" \t\r\n",
        "random-bytes-1": bytes(rng.getrandbits(8) for _ in range(64)),
        "random-bytes-2": bytes(rng.getrandbits(8) for _ in range(300)),
        "random-printable": bytes(rng.choice(b'{}[]",:0123456789.eE+-truefalsnl ') for _ in range(200)),
    }


MODELS = ["fraud-mlp.onnx", "mlp-regressor.onnx", "torch-mlp-gelu.onnx", "pipeline-regressor.onnx",
          "pipeline-classifier.onnx", "logistic-binary.onnx", "logistic-multiclass.onnx", "linear-regression.onnx",
          "xgboost-binary.onnx"]


def model_cases():
    cases = {name: (REPOSITORY / "Models" / name).read_bytes() for name in MODELS}
    fixtures = REPOSITORY / "Tests" / "SluiceModelTests" / "Fixtures"
    cases.update({f"fixture-{path.name}": path.read_bytes() for path in sorted(fixtures.glob("*.onnx"))})
    fraud = cases["fraud-mlp.onnx"]
    rng = random.Random(23)
    flipped = bytearray(fraud)
    for _ in range(8):
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
    cases.update({
        "broken-truncated-half.onnx": fraud[: len(fraud) // 2],
        "broken-truncated-header.onnx": fraud[:16],
        "mutated-bit-flips.onnx": bytes(flipped),
        "broken-empty.onnx": b"",
        "broken-random.onnx": bytes(rng.getrandbits(8) for _ in range(256)),
        "broken-json-not-onnx.onnx": event(),
    })
    return cases


def avro_cases():
    """The fastavro-made events of Tests/Fixtures/EventFormats under the v2 writer schema (bare
    records, every Avro type), and the malformed cases' records without their framing."""
    fixtures = REPOSITORY / "Tests" / "Fixtures" / "EventFormats"
    lines = (fixtures / "events-v2.hex").read_text().split()
    cases = {f"valid-v2-{index}.avro": bytes.fromhex(line) for index, line in enumerate(lines[:8])}
    for index, line in enumerate((fixtures / "malformed.tsv").read_text().splitlines()):
        error_class, schema_id, payload, _ = line.split("\t")
        if schema_id == "2":
            cases[f"{error_class}-{index}.avro"] = bytes.fromhex(payload)[5:]
    cases["empty"] = b""
    return cases


def protobuf_cases():
    """The protobuf-made messages of Tests/Fixtures/EventFormats and its malformed ones."""
    fixtures = REPOSITORY / "Tests" / "Fixtures" / "EventFormats"
    lines = (fixtures / "events-proto.hex").read_text().split()
    cases = {f"valid-{index}.pb": bytes.fromhex(line) for index, line in enumerate(lines[:8])}
    for index, line in enumerate((fixtures / "malformed-proto.tsv").read_text().splitlines()):
        error_class, payload, _ = line.split("\t")
        cases[f"{error_class}-{index}.pb"] = bytes.fromhex(payload)
    cases["empty"] = b""
    return cases


def write(directory, cases):
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, data in cases.items():
        (directory / name).write_bytes(data)
    print(f"{directory.relative_to(REPOSITORY)}: {len(cases)} files")


if __name__ == "__main__":
    write(FUZZ / "Corpus" / "FeatureDecoder", decoder_cases())
    write(FUZZ / "Corpus" / "ModelLoader", model_cases())
    write(FUZZ / "Corpus" / "AvroDecoder", avro_cases())
    write(FUZZ / "Corpus" / "ProtobufDecoder", protobuf_cases())
