/* clock.h - the emulator's clock (shifted by --clock-offset) and the date formats it writes. */
#ifndef SCM_EMU_CLOCK_H
#define SCM_EMU_CLOCK_H

#include <time.h>

#define EMU_HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define EMU_RFC3339_LEN 24   /* "1994-11-06T08:49:37.123Z" */

/* time(NULL) + offset_s: what the emulator believes the time is. */
time_t emu_clock_now(long offset_s);
/* RFC 7231 IMF-fixdate, independent of the locale. */
void emu_http_date(time_t t, char out[EMU_HTTP_DATE_LEN + 1]);
/* The real current UTC time as RFC 3339 with milliseconds. */
void emu_rfc3339_now(char out[EMU_RFC3339_LEN + 1]);
/* Sleeps ms milliseconds, resuming after signals. */
void emu_sleep_ms(unsigned ms);

#endif
