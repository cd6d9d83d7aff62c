/* entropy_getrandom.c - hosted-only entropy from the operating system (getrandom(2)), for tools,
 * tests and user-space library OSes running on Linux. Never linked into the kernel. */
#ifdef PLADOF_KERNEL
#error "entropy_getrandom.c is hosted-only"
#endif
#include <errno.h>
#include <sys/random.h>

#include "lib/crypto/entropy.h"

int entropy_os(uint8_t *out, size_t len)
{
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        out += n;
        len -= (size_t)n;
    }
    return 0;
}
