#define _GNU_SOURCE
#include "sluice_wakeup.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

int sluice_wakeup_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int sluice_wakeup_wait(int fd, int64_t nanoseconds) {
    if (nanoseconds < 0) nanoseconds = 0;
    struct pollfd watched = {.fd = fd, .events = POLLIN, .revents = 0};
    struct timespec limit = {.tv_sec = nanoseconds / 1000000000, .tv_nsec = nanoseconds % 1000000000};
    int ready = ppoll(&watched, 1, &limit, NULL);
    return ready > 0 ? 1 : ready;
}

void sluice_wakeup_reset(int fd) {
    eventfd_t count;
    (void)eventfd_read(fd, &count);
}
