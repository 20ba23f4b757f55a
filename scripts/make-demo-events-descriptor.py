"""Writes config/demo-events.desc: the descriptor set of config/demo-events.proto, as
`protoc --include_imports --descriptor_set_out=config/demo-events.desc config/demo-events.proto`
would, built with the `protobuf` package so that no protoc is needed.

    .venv/bin/pip install protobuf
    .venv/bin/python scripts/make-demo-events-descriptor.py

Keep the fields below as demo-events.proto declares them.
"""
import os

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto
FIELDS = [
    ("transaction_id", 1, F.TYPE_STRING, F.LABEL_OPTIONAL),
    ("card_id", 2, F.TYPE_STRING, F.LABEL_OPTIONAL),
    ("amount", 3, F.TYPE_DOUBLE, F.LABEL_OPTIONAL),
    ("currency", 4, F.TYPE_STRING, F.LABEL_OPTIONAL),
    ("features", 5, F.TYPE_DOUBLE, F.LABEL_REPEATED),
    ("merchant_risk", 6, F.TYPE_DOUBLE, F.LABEL_OPTIONAL),
    ("hour", 7, F.TYPE_INT32, F.LABEL_OPTIONAL),
    ("account_age_days", 8, F.TYPE_INT64, F.LABEL_OPTIONAL),
]


def main():
    file = descriptor_pb2.FileDescriptorProto(name="demo-events.proto", package="sluice.demo", syntax="proto3")
    transaction = file.message_type.add(name="Transaction")
    for name, number, kind, label in FIELDS:
        json_name = name.split("_")[0] + "".join(part.title() for part in name.split("_")[1:])
        transaction.field.add(name=name, number=number, type=kind, label=label, json_name=json_name)
    descriptor_set = descriptor_pb2.FileDescriptorSet(file=[file])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "demo-events.desc")
    with open(path, "wb") as out:
        out.write(descriptor_set.SerializeToString(deterministic=True))
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
