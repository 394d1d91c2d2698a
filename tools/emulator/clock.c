/*
 * clock.c - see clock.h.
 * owns: the emulator's clock (--clock-offset) and the date formats it writes; must not: keep
 * state of its own.
 */
#include "clock.h"

#include <errno.h>
#include <stdio.h>

time_t emu_clock_now(long offset_s)
{
    return time(NULL) + (time_t)offset_s;
}

void emu_http_date(time_t t, char out[EMU_HTTP_DATE_LEN + 1])
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    /* The modulos bound every field for the compiler; gmtime_r's values already fit. */
    snprintf(out, EMU_HTTP_DATE_LEN + 1, "%s, %02u %s %04u %02u:%02u:%02u GMT",
             days[(unsigned)tm.tm_wday % 7u], (unsigned)tm.tm_mday % 100u,
             months[(unsigned)tm.tm_mon % 12u], (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

void emu_rfc3339_now(char out[EMU_RFC3339_LEN + 1])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, EMU_RFC3339_LEN + 1, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             (unsigned)tm.tm_sec % 100u, (unsigned)(ts.tv_nsec / 1000000) % 1000u);
}

void emu_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
