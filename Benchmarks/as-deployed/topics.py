"""What the broker holds, read with confluent-kafka: the watermarks that show every event is in
the input (none dropped by the embedded broker's retention) and in the outputs, the group's
committed offsets, and latencies from the audit records."""

import re

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

# The embedded broker answers an empty fetch only after fetch.wait.max.ms.
CLIENT = {"fetch.wait.max.ms": "1", "enable.auto.commit": "false", "log_level": "3"}


def _consumer(bootstrap, group="sluice-as-deployed-reader"):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": group, **CLIENT})


def _partitions(consumer, topic):
    metadata = consumer.list_topics(topic, timeout=10).topics[topic]
    return [TopicPartition(topic, partition) for partition in sorted(metadata.partitions)]


def watermarks(bootstrap, topic):
    """(sum of low watermarks, sum of high watermarks) over the topic's partitions."""
    consumer = _consumer(bootstrap)
    try:
        low = high = 0
        for partition in _partitions(consumer, topic):
            lo, hi = consumer.get_watermark_offsets(partition, timeout=10)
            low, high = low + lo, high + hi
        return low, high
    finally:
        consumer.close()


def written(bootstrap, topic):
    """Records ever written to the topic (its high watermarks, summed): the embedded broker may
    since have dropped the oldest of them (about 5 MB per partition), as retention would."""
    return watermarks(bootstrap, topic)[1]


def records_held(bootstrap, topic):
    """Records the topic holds now (high minus low watermarks, summed)."""
    low, high = watermarks(bootstrap, topic)
    return high - low


def committed(bootstrap, group, topic):
    """The sum of the group's committed offsets over the topic's partitions (none counts as 0)."""
    consumer = _consumer(bootstrap, group)
    try:
        offsets = consumer.committed(_partitions(consumer, topic), timeout=10)
        return sum(max(partition.offset, 0) for partition in offsets)
    finally:
        consumer.close()


def check_loaded(bootstrap, topic, events):
    """Raises unless the topic holds exactly `events` events from offset 0 on: the embedded broker
    keeps about 5 MB per partition and drops the oldest beyond that."""
    low, high = watermarks(bootstrap, topic)
    if low != 0 or high != events:
        raise RuntimeError(
            f"{topic} holds offsets {low}..{high} summed over its partitions, not 0..{events}: "
            "the embedded broker dropped events (about 5 MB per partition): use more --partitions"
        )


TIMESTAMP = re.compile(rb'"input":\{[^}]*?"timestamp":(\d+)')


def audit_latencies_ms(bootstrap, topic, expected):
    """Per audit record still held: its Kafka timestamp (set by Sluice when it sent the record) minus
    its input event's timestamp (in the record): input produced -> outputs sent, in milliseconds,
    sorted. The embedded broker keeps about 5 MB per partition, so with many events these are the
    run's last ones."""
    consumer = _consumer(bootstrap, "sluice-as-deployed-audit")
    latencies = []
    try:
        consumer.assign([TopicPartition(p.topic, p.partition, OFFSET_BEGINNING) for p in _partitions(consumer, topic)])
        idle = 0
        while len(latencies) < expected and idle < 50:
            batch = consumer.consume(10_000, timeout=0.1)
            idle = 0 if batch else idle + 1
            for message in batch:
                if message.error():
                    continue
                match = TIMESTAMP.search(message.value())
                if match:
                    latencies.append(message.timestamp()[1] - int(match.group(1)))
    finally:
        consumer.close()
    latencies.sort()
    return latencies


def quantile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]
