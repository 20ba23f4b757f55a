"""The script Sluice replaces: a Python loop with confluent-kafka and onnxruntime that consumes
the demo's events in batches, scores each batch, writes a prediction and an audit record per
event (undecodable events to the dead-letter topic), and commits a batch's offsets only after
flushing its outputs (at-least-once). Prints one JSON object, as sluice-passthrough does."""

import argparse
import hashlib
import json
import time

import numpy as np
import onnxruntime
from confluent_kafka import Consumer, Producer

GROUP = "sluice-python-reference"


def features(event):
    """The row config/demo.yaml reads; raises on a malformed event."""
    vector = event["features"]
    if len(vector) != 16:
        raise ValueError("features: expected 16 values")
    return [float(event["amount"]), *map(float, vector), float(event.get("merchant_risk", 0)), float(event["hour"]), float(event["account_age_days"])]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    model_sha256 = hashlib.sha256(open(args.model, "rb").read()).hexdigest()
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap, "group.id": GROUP, "auto.offset.reset": "earliest",
        "enable.auto.commit": "false", "fetch.wait.max.ms": "1",
    })
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": "true", "linger.ms": "5"})
    consumer.subscribe(["events"])

    def send(topic, value, key):
        while True:
            try:
                producer.produce(topic, value, key)
                return
            except BufferError:
                producer.poll(0.01)

    consumed = produced = 0
    started = tenth = middle = None
    tenth_mark, ninth_mark = args.events // 10, args.events - args.events // 10
    while consumed < args.events:
        messages = [m for m in consumer.consume(1000, timeout=0.1) if not m.error()]
        if not messages:
            continue
        started = started or time.monotonic()
        rows, scored = [], []
        for message in messages:
            try:
                rows.append(features(json.loads(message.value())))
                scored.append(message)
            except (ValueError, KeyError, TypeError):
                send("events.dlq", message.value(), message.key())
                produced += 1
        if rows:
            probabilities = session.run(None, {"features": np.asarray(rows, dtype=np.float32)})[0]
            for message, row, probability in zip(scored, rows, probabilities):
                prediction_id = f"{message.topic()}-{message.partition()}-{message.offset()}"
                send("predictions", json.dumps({
                    "prediction_id": prediction_id, "model": {"name": "fraud", "version": "1"},
                    "outputs": {"fraud_probability": float(probability[0])},
                }), message.key())
                send("audit", json.dumps({
                    "prediction_id": prediction_id,
                    "input": {"topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
                              "timestamp": message.timestamp()[1], "sha256": hashlib.sha256(message.value()).hexdigest()},
                    "model": {"name": "fraud", "version": "1", "sha256": model_sha256},
                    "features_sha256": hashlib.sha256(np.asarray(row, dtype=np.float32).tobytes()).hexdigest(),
                }), message.key())
                produced += 2
        producer.flush()
        consumer.commit(asynchronous=False)
        consumed += len(messages)
        now = time.monotonic()
        if tenth is None and consumed >= tenth_mark:
            tenth = now
        if middle is None and consumed >= ninth_mark:
            middle = now - tenth
    seconds = time.monotonic() - started
    consumer.close()
    print(json.dumps({"consumed": consumed, "produced": produced, "seconds": seconds, "middle_seconds": middle, "group": GROUP}))


if __name__ == "__main__":
    main()
