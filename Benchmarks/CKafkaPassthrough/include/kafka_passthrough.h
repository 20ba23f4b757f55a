#ifndef SLUICE_KAFKA_PASSTHROUGH_H
#define SLUICE_KAFKA_PASSTHROUGH_H

/*
 * The reference consume -> produce passthrough in plain C on librdkafka, against which Sluice's
 * Swift Kafka layer (and later the whole pipeline) is measured in the same process.
 *
 * It consumes the input topic in batches as a group member and sends every message's key and
 * value once to each output topic. Offsets are stored only once every output of a consumed batch,
 * and of all batches before it, is acknowledged by the broker (at-least-once); librdkafka commits
 * them in the background and a final synchronous commit ends the run.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sluice_passthrough_options {
    const char *input_topic;
    /** Partitions of the input topic: offsets are tracked per partition. */
    int input_partitions;
    /** Every input message is sent once to each of these topics. */
    const char *const *output_topics;
    int output_topic_count;
    /** The run ends after this many input messages. */
    int64_t events;
    /** Most messages per rd_kafka_consume_batch_queue() call. */
    int batch_size;
    /** librdkafka properties as alternating keys and values (bootstrap.servers, group.id, ...). */
    const char *const *consumer_properties;
    int consumer_property_count;
    const char *const *producer_properties;
    int producer_property_count;
} sluice_passthrough_options;

typedef struct sluice_passthrough_result {
    int64_t consumed;
    int64_t produced;
    /** From the first consumed batch to the end of the final commit. */
    double seconds;
    /** From the batch that reached 10 % of the events consumed to the one that reached 90 %: the
        steady middle of the run, without the start and the tail. */
    double middle_seconds;
    /** Empty on success, else why the run failed. */
    char error[512];
} sluice_passthrough_result;

/** Runs the passthrough to completion. Returns 0 on success, -1 with result->error set. */
int sluice_c_passthrough(const sluice_passthrough_options *options, sluice_passthrough_result *result);

#ifdef __cplusplus
}
#endif

#endif
