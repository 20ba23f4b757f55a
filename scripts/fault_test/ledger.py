"""What the output topics say about every input offset: processed once, more than once, or not at all."""

import json
import time
from collections import Counter

from confluent_kafka import Consumer, TopicPartition

INPUT, PREDICTIONS, AUDIT, DEAD_LETTERS = "events", "predictions", "audit", "events.dlq"


class Cluster:
    """Watermarks and the group's committed offsets, read without joining the group."""

    def __init__(self, bootstrap, group):
        self.bootstrap = bootstrap
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                                  "fetch.wait.max.ms": 1})

    def partitions(self, topic):
        metadata = self.consumer.list_topics(topic, timeout=10)
        return sorted(metadata.topics[topic].partitions)

    def watermarks(self, topic):
        """{partition: (low, high)}."""
        return {p: self.consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                for p in self.partitions(topic)}

    def committed(self, topic=INPUT):
        """{partition: committed offset}, 0 where the group committed none."""
        partitions = [TopicPartition(topic, p) for p in self.partitions(topic)]
        return {tp.partition: max(tp.offset, 0) for tp in self.consumer.committed(partitions, timeout=10)}

    def lag(self):
        """Input events the group has not committed yet."""
        committed = self.committed()
        return sum(high - committed[p] for p, (_, high) in self.watermarks(INPUT).items())

    def read(self, topic):
        """Every record of `topic` the broker still has, from its low watermark to its current end
        (the embedded broker drops a partition's oldest records beyond about 5 MB)."""
        watermarks = {p: (low, high) for p, (low, high) in self.watermarks(topic).items() if high > low}
        ends = {p: high for p, (_, high) in watermarks.items()}
        if not ends:
            return []
        reader = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "fault-test-reader",
                           "enable.auto.commit": False, "fetch.wait.max.ms": 1})
        reader.assign([TopicPartition(topic, p, low) for p, (low, _) in watermarks.items()])
        records, remaining, deadline = [], dict(ends), time.monotonic() + 120
        while remaining and time.monotonic() < deadline:
            for message in reader.consume(10_000, timeout=1):
                if message.error():
                    continue
                records.append(message)
                if message.offset() + 1 >= remaining.get(message.partition(), 0):
                    remaining.pop(message.partition(), None)
        reader.close()
        if remaining:
            raise RuntimeError(f"could not read {topic} to its end: partitions {sorted(remaining)} unfinished")
        return records

    def close(self):
        self.consumer.close()


def source_of_dead_letter(message):
    """(partition, offset) from the last sluice-source-* headers: Sluice's own come after any an
    input carried."""
    headers = {}
    for name, value in message.headers() or []:
        headers[name] = value
    return int(headers["sluice-source-partition"]), int(headers["sluice-source-offset"])


class Ledger:
    """Counts of predictions, audit records and dead letters per input (partition, offset)."""

    def __init__(self, cluster):
        self.inputs = cluster.watermarks(INPUT)
        self.committed = cluster.committed()
        self.truncated = {topic: p for topic in (INPUT, PREDICTIONS, AUDIT, DEAD_LETTERS)
                          for p, (low, _) in cluster.watermarks(topic).items() if low > 0}
        self.predictions, self.audits, self.dead_letters = Counter(), Counter(), Counter()
        self.null_predictions = set()
        self.error_classes = Counter()
        self.forged_first = set()
        for message in cluster.read(PREDICTIONS):
            value = json.loads(message.value())
            topic, partition, offset = value["prediction_id"].rsplit("-", 2)
            self.predictions[int(partition), int(offset)] += 1
            if any(v is None or (isinstance(v, list) and None in v) for v in value["outputs"].values()):
                self.null_predictions.add((int(partition), int(offset)))
        for message in cluster.read(AUDIT):
            source = json.loads(message.value())["input"]
            self.audits[source["partition"], source["offset"]] += 1
        for message in cluster.read(DEAD_LETTERS):
            source = source_of_dead_letter(message)
            self.dead_letters[source] += 1
            classes = [value.decode() for name, value in message.headers() or [] if name == "sluice-error-class"]
            self.error_classes[classes[-1] if classes else "?"] += 1
            if classes and classes[0] == "spoofed":
                self.forged_first.add(source)

    def verdict(self):
        """Lost: offsets below the group's commit without their outputs. Pending: offsets not yet
        committed and without them. Re-scored: extra times events were processed."""
        lost, pending, rescored, twice = [], [], 0, 0
        for partition, (low, high) in self.inputs.items():
            for offset in range(low, high):
                key = partition, offset
                scored = min(self.predictions[key], self.audits[key])
                times = max(self.predictions[key], self.audits[key]) + self.dead_letters[key]
                if scored == 0 and self.dead_letters[key] == 0:
                    (lost if offset < self.committed[partition] else pending).append(key)
                rescored += max(times - 1, 0)
                twice += times > 1
        total = sum(high - low for low, high in self.inputs.values())
        return {"input": total, "lost": lost, "pending": pending, "rescored": rescored, "rescored_offsets": twice,
                "predictions": sum(self.predictions.values()), "audits": sum(self.audits.values()),
                "dead_letters": sum(self.dead_letters.values())}
