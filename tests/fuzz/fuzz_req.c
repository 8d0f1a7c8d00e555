/*
 * fuzz_req.c: libFuzzer target for a whole request: CGI variables, then
 * the body.  The input is split at newlines; the first pieces become the
 * values of the variables below, in order, and whatever follows the last
 * of them is the body.  Limits are small so the fuzzer reaches them.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cookie.h"
#include "req.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = {
	"REQUEST_METHOD", "REQUEST_URI", "CONTENT_TYPE", "CONTENT_LENGTH",
	"HTTP_COOKIE", "HTTP_ACCEPT", "HTTPS", "REQUEST_ID",
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

static const struct req_limits	 lim = { 64, 8, 16 };

static void
check_list(const struct kvlist *l, size_t max, size_t maxval)
{
	size_t	 i;

	if (l->n > max)
		__builtin_trap();
	for (i = 0; i < l->n; i++) {
		if (!utf8_valid(l->v[i].key, strlen(l->v[i].key)) ||
		    strlen(l->v[i].val) != l->v[i].vlen ||
		    l->v[i].vlen > maxval ||
		    !utf8_valid(l->v[i].val, l->v[i].vlen))
			__builtin_trap();
	}
}

static void
check_err(const struct perr *e, int a, int b, int c)
{
	if ((e->status != a && e->status != b && e->status != c) ||
	    e->code == NULL || e->message[0] == '\0' ||
	    !utf8_valid(e->message, strlen(e->message)))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(0);
	struct req	 r;
	struct perr	 e;
	char		*envp[NNAMES + 1];
	const char	*p = (const char *)data, *end = p + size, *nl;
	size_t		 n = 0;

	while (n < NNAMES && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		envp[n] = arena_printf(a, "%s=%s", names[n],
		    arena_strndup(a, p, (size_t)(nl - p)));
		n++;
		p = nl < end ? nl + 1 : end;
	}
	envp[n] = NULL;

	req_init(&r, a, envp);
	memset(&e, 0, sizeof(e));
	if (!req_parse_env(&r, &lim, &e)) {
		check_err(&e, 400, 413, 501);
		goto out;
	}
	if (r.method == 0 || r.path == NULL || r.path[0] != '/' ||
	    r.content_length > lim.max_body || r.id == NULL ||
	    (req_format(&r) != FMT_HTML && req_format(&r) != FMT_JSON))
		__builtin_trap();
	check_list(&r.query, lim.max_fields, lim.max_value);
	check_list(&r.cookies, COOKIE_MAX, (size_t)-1);

	r.body = p;
	r.body_len = (size_t)(end - p);
	memset(&e, 0, sizeof(e));
	if (!req_parse_body(&r, &lim, &e)) {
		check_err(&e, 400, 413, 415);
		goto out;
	}
	check_list(&r.form, lim.max_fields, lim.max_value);
	if (r.json != NULL && r.form.n != 0)
		__builtin_trap();
out:
	arena_free(a);	/* also releases r.json */
	return 0;
}
