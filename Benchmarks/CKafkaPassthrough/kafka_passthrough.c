#include "kafka_passthrough.h"

#include <librdkafka/rdkafka.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Consumed batches whose outputs may be in flight at once. */
#define RING_SIZE 512

typedef struct batch_slot {
    int64_t pending;       /* outputs not yet acknowledged */
    int64_t *next_offsets; /* per input partition: offset to store, or -1 */
} batch_slot;

typedef struct passthrough {
    const sluice_passthrough_options *options;
    sluice_passthrough_result *result;
    rd_kafka_t *consumer;
    rd_kafka_t *producer;
    rd_kafka_queue_t *consumer_queue;
    rd_kafka_queue_t *delivery_queue;
    batch_slot ring[RING_SIZE];
    uint64_t next_batch; /* sequence number of the batch being filled */
    uint64_t done_batch; /* oldest batch whose offsets are not yet stored */
    int failed;
} passthrough;

static void fail(passthrough *run, const char *format, ...) {
    if (run->failed) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(run->result->error, sizeof run->result->error, format, arguments);
    va_end(arguments);
    run->failed = 1;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static rd_kafka_t *make_client(passthrough *run, rd_kafka_type_t type, const char *const *properties, int count) {
    char reason[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (int i = 0; i + 1 < count; i += 2) {
        if (rd_kafka_conf_set(conf, properties[i], properties[i + 1], reason, sizeof reason) != RD_KAFKA_CONF_OK) {
            fail(run, "property %s: %s", properties[i], reason);
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    if (type == RD_KAFKA_PRODUCER) rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
    rd_kafka_t *client = rd_kafka_new(type, conf, reason, sizeof reason);
    if (!client) {
        fail(run, "rd_kafka_new: %s", reason);
        rd_kafka_conf_destroy(conf);
    }
    return client;
}

/* Stores, in one call, the offsets of every leading batch whose outputs are all acknowledged. */
static void store_completed(passthrough *run) {
    rd_kafka_topic_partition_list_t *list = NULL;
    while (run->done_batch < run->next_batch) {
        batch_slot *slot = &run->ring[run->done_batch % RING_SIZE];
        if (slot->pending != 0) break;
        if (!list) list = rd_kafka_topic_partition_list_new(run->options->input_partitions);
        for (int p = 0; p < run->options->input_partitions; p++) {
            if (slot->next_offsets[p] < 0) continue;
            rd_kafka_topic_partition_list_add(list, run->options->input_topic, p)->offset = slot->next_offsets[p];
        }
        run->done_batch++;
    }
    if (!list) return;
    rd_kafka_resp_err_t err = list->cnt ? rd_kafka_offsets_store(run->consumer, list) : RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_topic_partition_list_destroy(list);
    if (err) fail(run, "offsets_store: %s", rd_kafka_err2str(err));
}

/* Serves delivery reports, waiting up to timeout_ms for the first event. */
static void serve_deliveries(passthrough *run, int timeout_ms) {
    rd_kafka_event_t *event;
    while ((event = rd_kafka_queue_poll(run->delivery_queue, timeout_ms))) {
        timeout_ms = 0;
        if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_DR) {
            const rd_kafka_message_t *message;
            while ((message = rd_kafka_event_message_next(event))) {
                if (message->err) fail(run, "delivery failed: %s", rd_kafka_err2str(message->err));
                run->ring[(uintptr_t)message->_private % RING_SIZE].pending--;
            }
        } else if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_ERROR && rd_kafka_event_error_is_fatal(event)) {
            fail(run, "producer fatal error: %s", rd_kafka_event_error_string(event));
        }
        rd_kafka_event_destroy(event);
    }
    store_completed(run);
}

static void send_all(passthrough *run, rd_kafka_topic_t **outputs, rd_kafka_message_t *message, uint64_t batch) {
    for (int o = 0; o < run->options->output_topic_count; o++) {
        while (rd_kafka_produce(outputs[o], RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, message->payload, message->len,
                                message->key, message->key_len, (void *)(uintptr_t)batch) != 0) {
            rd_kafka_resp_err_t err = rd_kafka_last_error();
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                fail(run, "produce: %s", rd_kafka_err2str(err));
                return;
            }
            serve_deliveries(run, 10);
        }
        run->ring[batch % RING_SIZE].pending++;
        run->result->produced++;
    }
}

static void run_loop(passthrough *run, rd_kafka_topic_t **outputs) {
    const sluice_passthrough_options *options = run->options;
    rd_kafka_message_t **messages = calloc((size_t)options->batch_size, sizeof *messages);
    double started = 0, tenth = 0;
    const int64_t tenth_mark = options->events / 10, ninth_mark = options->events - tenth_mark;
    while (run->result->consumed < options->events && !run->failed) {
        if (run->next_batch - run->done_batch == RING_SIZE) {
            serve_deliveries(run, 100);
            continue;
        }
        ssize_t count = rd_kafka_consume_batch_queue(run->consumer_queue, 100, messages, (size_t)options->batch_size);
        if (count <= 0) {
            serve_deliveries(run, 0);
            continue;
        }
        if (started == 0) started = now_seconds();
        uint64_t batch = run->next_batch;
        batch_slot *slot = &run->ring[batch % RING_SIZE];
        slot->pending = 0;
        for (int p = 0; p < options->input_partitions; p++) slot->next_offsets[p] = -1;
        for (ssize_t i = 0; i < count; i++) {
            rd_kafka_message_t *message = messages[i];
            if (!message->err) {
                slot->next_offsets[message->partition] = message->offset + 1;
                send_all(run, outputs, message, batch);
                run->result->consumed++;
            }
            rd_kafka_message_destroy(message);
        }
        run->next_batch++;
        if (tenth == 0 && run->result->consumed >= tenth_mark) tenth = now_seconds();
        if (run->result->middle_seconds == 0 && run->result->consumed >= ninth_mark) run->result->middle_seconds = now_seconds() - tenth;
        serve_deliveries(run, 0);
    }
    while (run->done_batch < run->next_batch && !run->failed) serve_deliveries(run, 100);
    if (!run->failed) {
        rd_kafka_resp_err_t err = rd_kafka_commit(run->consumer, NULL, 0);
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) fail(run, "commit: %s", rd_kafka_err2str(err));
    }
    run->result->seconds = now_seconds() - started;
    free(messages);
}

int sluice_c_passthrough(const sluice_passthrough_options *options, sluice_passthrough_result *result) {
    memset(result, 0, sizeof *result);
    passthrough run = {.options = options, .result = result};
    for (int i = 0; i < RING_SIZE; i++) run.ring[i].next_offsets = calloc((size_t)options->input_partitions, sizeof(int64_t));

    run.producer = make_client(&run, RD_KAFKA_PRODUCER, options->producer_properties, options->producer_property_count);
    run.consumer = make_client(&run, RD_KAFKA_CONSUMER, options->consumer_properties, options->consumer_property_count);
    rd_kafka_topic_t **outputs = calloc((size_t)options->output_topic_count, sizeof *outputs);
    if (run.producer && run.consumer) {
        rd_kafka_poll_set_consumer(run.consumer);
        run.consumer_queue = rd_kafka_queue_get_consumer(run.consumer);
        run.delivery_queue = rd_kafka_queue_get_main(run.producer);
        for (int o = 0; o < options->output_topic_count; o++) {
            outputs[o] = rd_kafka_topic_new(run.producer, options->output_topics[o], NULL);
            /* Learn the output's leaders before the clock starts, as a long-running service would have. */
            const struct rd_kafka_metadata *metadata;
            if (rd_kafka_metadata(run.producer, 0, outputs[o], &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
                rd_kafka_metadata_destroy(metadata);
        }
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, options->input_topic, RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t err = rd_kafka_subscribe(run.consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err) fail(&run, "subscribe: %s", rd_kafka_err2str(err));
        else run_loop(&run, outputs);
    }

    for (int o = 0; o < options->output_topic_count; o++)
        if (outputs[o]) rd_kafka_topic_destroy(outputs[o]);
    free(outputs);
    if (run.consumer_queue) rd_kafka_queue_destroy(run.consumer_queue);
    if (run.delivery_queue) rd_kafka_queue_destroy(run.delivery_queue);
    if (run.consumer) {
        rd_kafka_consumer_close(run.consumer);
        rd_kafka_destroy(run.consumer);
    }
    if (run.producer) rd_kafka_destroy(run.producer);
    for (int i = 0; i < RING_SIZE; i++) free(run.ring[i].next_offsets);
    return run.failed ? -1 : 0;
}
