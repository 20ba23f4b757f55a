"""The input of a fault test: the demo's events from `sluice generate`, and hostile ones."""

import json
import subprocess

from confluent_kafka import Producer

from .processes import REPOSITORY


def generate(sluice, bootstrap, events, rate, seed, log_path):
    """Starts `sluice generate` (its events include one malformed in 4999) and returns the process."""
    log = open(log_path, "a")
    return subprocess.Popen(
        [sluice, "generate", "--bootstrap", bootstrap, "--rate", str(rate), "--events", str(events), "--seed", str(seed)],
        stdout=log, stderr=subprocess.STDOUT, cwd=REPOSITORY,
    )


def finish(generator, timeout):
    code = generator.wait(timeout=timeout)
    if code != 0:
        raise RuntimeError(f"sluice generate exited {code}")


VALID = {"amount": 12.5, "features": [0.1] * 16, "merchant_risk": 0.2, "hour": 3, "account_age_days": 40}


def hostile_payloads(rng, count):
    """`count` events that are not plain valid input, in turn: the kinds issue 23 lists."""
    valid = json.dumps(VALID).encode()
    kinds = [
        lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))),  # random bytes
        lambda: valid[: rng.randint(1, len(valid) - 1)],  # truncated JSON
        lambda: b'{"amount":' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # deep nesting
        lambda: valid.replace(b"12.5", b"1e400"),  # beyond Float's range
        lambda: valid.replace(b"12.5", b"NaN"),  # a NaN literal
        lambda: valid.replace(b'"hour"', b'"h\xff\xfeur"'),  # invalid UTF-8 in a key
        lambda: valid[:-1] + b', "amount": "twelve"}',  # a duplicate key of the wrong type
        lambda: b'{"amount": 1, "features": [' + b"1," * 15 + b'1], "amount": 2, "hour": 1, "account_age_days": 2}',
    ]
    return [kinds[index % len(kinds)]() for index in range(count)]


def produce(bootstrap, payloads, seed, topic="events", spoof_every=4):
    """Produces `payloads` keyed h<n>; every `spoof_every`-th carries a forged `sluice-error-class`
    header, which must never be mistaken for Sluice's own."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5})
    failures = []
    for index, payload in enumerate(payloads):
        headers = [("sluice-error-class", b"spoofed")] if index % spoof_every == 0 else None
        producer.produce(topic, payload, key=f"h{seed}-{index}", headers=headers,
                         on_delivery=lambda error, _: error and failures.append(error))
        producer.poll(0)
    producer.flush(60)
    if failures:
        raise RuntimeError(f"producing hostile events failed: {failures[0]}")


def poison(size):
    """A payload of `size` bytes that is not valid input: an unterminated JSON string."""
    head = b'{"amount": 1, "note": "'
    return head + b"x" * (size - len(head))


def produce_poison(bootstrap, size, partition):
    """Produces the poison event to `partition`; returns (partition, offset)."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    delivered = []
    producer.produce("events", poison(size), key=b"poison", partition=partition,
                     on_delivery=lambda error, message: delivered.append((error, message)))
    producer.flush(60)
    error, message = delivered[0]
    if error:
        raise RuntimeError(f"producing the poison event ({size} bytes) failed: {error}")
    return message.partition(), message.offset()
