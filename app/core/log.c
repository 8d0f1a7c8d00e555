/*
 * log.c: logfmt lines, one write(2) each so lines from several processes
 * never interleave.  The level and role are set once at startup.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LINE_MAX_BYTES	4096

static enum log_level	 min_level = L_INFO;
static const char	*proc_name = "main";

static const char *const level_names[L__MAX] = {
	"debug", "info", "warn", "error"
};

void
log_setup(enum log_level lvl, const char *proc)
{
	min_level = lvl;
	proc_name = proc;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	int	 i;

	for (i = 0; i < L__MAX; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 1;
		}
	return 0;
}

void
log_escape(char *dst, size_t n, const char *src)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 o = 0;
	unsigned char		 c;

	if (n == 0)
		return;
	for (; (c = (unsigned char)*src) != '\0' && o + 5 < n; src++) {
		if (c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else if (c == '\n') {
			dst[o++] = '\\';
			dst[o++] = 'n';
		} else if (c == '\r') {
			dst[o++] = '\\';
			dst[o++] = 'r';
		} else if (c < 0x20 || c == 0x7f) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 0xf];
		} else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

char *
log_value(char *dst, size_t n, const char *src)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o = 0;
	unsigned char		 c;

	if (n == 0)
		return dst;
	for (; (c = (unsigned char)*src) != '\0'; src++) {
		if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\' ||
		    c == '=' || c == '%') {
			if (o + 3 >= n)
				break;
			dst[o++] = '%';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 0xf];
		} else {
			if (o + 1 >= n)
				break;
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return dst;
}

void
logm(enum log_level lvl, const char *reqid, const char *fmt, ...)
{
	char		 msg[LINE_MAX_BYTES / 2], esc[LINE_MAX_BYTES];
	char		 line[LINE_MAX_BYTES + 256], ts[40], rid[80];
	struct timespec	 now;
	struct tm	 tm;
	va_list		 ap;
	int		 n;

	if (lvl < min_level || lvl >= L__MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_escape(esc, sizeof(esc), msg);

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	rid[0] = '\0';
	if (reqid != NULL) {
		char	e[64];

		log_escape(e, sizeof(e), reqid);
		snprintf(rid, sizeof(rid), " req=\"%s\"", e);
	}
	n = snprintf(line, sizeof(line),
	    "ts=%s.%03ldZ level=%s pid=%ld proc=%s%s msg=\"%s\"\n",
	    ts, now.tv_nsec / 1000000, level_names[lvl], (long)getpid(),
	    proc_name, rid, esc);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
