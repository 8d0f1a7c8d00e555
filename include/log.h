/*
 * log.h: structured log lines (logfmt) on standard error.
 *
 * One line per event: ts=<UTC RFC 3339> level=<level> pid=<pid>
 * proc=<role> [req=<id>] msg="<text>".  The message is quoted and every
 * control character, quote and backslash in it is escaped, so input that
 * reaches a message cannot forge a line.  Messages follow PostgreSQL's
 * style: lower case, no final period, "could not X: reason".
 */
#ifndef LOG_H
#define LOG_H

enum log_level {
	L_DEBUG,
	L_INFO,
	L_WARN,
	L_ERROR,
	L__MAX
};

/* Set the minimum level and the process role ("master", "worker"...). */
void	log_setup(enum log_level, const char *proc);

/* Parse "debug", "info", "warn" or "error"; 1 on success, 0 otherwise. */
int	log_level_parse(const char *, enum log_level *);

/* Log one event; reqid may be NULL. */
void	logm(enum log_level, const char *reqid, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#define log_debug(...)	logm(L_DEBUG, NULL, __VA_ARGS__)
#define log_info(...)	logm(L_INFO, NULL, __VA_ARGS__)
#define log_warn(...)	logm(L_WARN, NULL, __VA_ARGS__)
#define log_error(...)	logm(L_ERROR, NULL, __VA_ARGS__)

/*
 * Write src into dst (size n) as one logfmt value: space, '=', '"', '\\',
 * '%' and control bytes become %XX, so a value that came from a client
 * can neither end its field nor plant another (email=a%20addr%3D1.2.3.4).
 * Every client-supplied value in a key=value message goes through it.
 * Cut short rather than overflow, never inside an escape; returns dst.
 */
#define LOG_VALUE_MAX	1024
char	*log_value(char *dst, size_t n, const char *src);

/* Escape src into dst (size n) as the inside of a logfmt quoted value. */
void	log_escape(char *dst, size_t n, const char *src);

#endif
