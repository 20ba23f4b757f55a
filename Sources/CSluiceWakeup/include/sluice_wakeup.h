#ifndef SLUICE_WAKEUP_H
#define SLUICE_WAKEUP_H

#include <stdint.h>

/// A non-blocking, close-on-exec eventfd with its counter at 0, or -1 with errno set.
int sluice_wakeup_create(void);

/// Waits until `fd` is readable or `nanoseconds` pass (ppoll, so to the microsecond rather than
/// poll's millisecond). Returns 1 when readable, 0 on timeout, -1 with errno set on error.
int sluice_wakeup_wait(int fd, int64_t nanoseconds);

/// Reads the eventfd's counter back to 0; does nothing when it already is.
void sluice_wakeup_reset(int fd);

#endif
