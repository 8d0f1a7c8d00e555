/*
 * fuzz_input.c: libFuzzer target for the declared-input reader.  The
 * first byte chooses a JSON body or a form (and "now"); the rest is the
 * body, parsed by the request's own parsers, then read against a form of
 * every field type.  A value accepted must be within its declaration; a
 * refusal must name a declared field with a known code.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "input.h"
#include "jsonbody.h"
#include "kv.h"
#include "urlenc.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const words[] = { "a", "bb", "guest", "owner", NULL };

static const char *
item(struct arena *a, const char *s)
{
	(void)a;
	return strlen(s) <= 3 ? s : NULL;
}

static const struct input_field fields[] = {
	{ .name = "t", .type = IN_TEXT, .flags = IN_REQUIRED, .max = 8 },
	{ .name = "r", .type = IN_TEXT, .flags = IN_RAW | IN_BYTES, .max = 8 },
	{ .name = "i", .type = IN_INT, .min = -5, .max = 500 },
	{ .name = "b", .type = IN_BOOL },
	{ .name = "d", .type = IN_DATE },
	{ .name = "f", .type = IN_DATE, .flags = IN_FUTURE, .max = 30,
	    .if_name = "e", .if_value = "guest" },
	{ .name = "m", .type = IN_EMAIL },
	{ .name = "s", .type = IN_SLUG },
	{ .name = "e", .type = IN_ENUM, .allowed = words },
	{ .name = "l", .type = IN_LIST, .max = 3, .allowed = words },
	{ .name = "p", .type = IN_LIST, .flags = IN_SPLIT, .item = item },
	{ .name = "x", .form = "x_", .type = IN_LIST, .flags = IN_BOXES,
	    .allowed = words },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static const struct input_form form = { fields, NFIELDS, NULL, NULL, 0 };

/* A value read must be what its field declares. */
static void
check(const struct input_field *f, const struct input_value *v, time_t now)
{
	size_t	 i;

	if (v->text == NULL || !utf8_valid(v->text, strlen(v->text)))
		__builtin_trap();
	if (!v->present)
		return;
	switch (f->type) {
	case IN_TEXT:
		if ((f->flags & IN_BYTES ? strlen(v->text) :
		    utf8_chars(v->text)) > (size_t)f->max)
			__builtin_trap();
		break;
	case IN_INT:
		if (v->num < f->min || v->num > f->max)
			__builtin_trap();
		break;
	case IN_BOOL:
		if (v->num != 0 && v->num != 1)
			__builtin_trap();
		break;
	case IN_DATE:
		if (!date_parse(v->text, NULL) || ((f->flags & IN_FUTURE) &&
		    !input_future_date(v->text, now, f->max)))
			__builtin_trap();
		break;
	case IN_EMAIL:
		if (!input_email_valid(v->text))
			__builtin_trap();
		break;
	case IN_SLUG:
		if (input_slug_problem(v->text) != NULL)
			__builtin_trap();
		break;
	case IN_ENUM:
		if (!input_one_of(f->allowed, v->text))
			__builtin_trap();
		break;
	case IN_LIST:
		if (v->list == NULL || (f->max > 0 &&
		    json_array_size(v->list) > (size_t)f->max))
			__builtin_trap();
		for (i = 0; i < json_array_size(v->list); i++)
			if (json_string_value(json_array_get(v->list, i)) ==
			    NULL)
				__builtin_trap();
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonbody_limits	 jl = { 64, 256 };
	struct urlenc_limits	 ul = { 64, 256 };
	struct input_value	 v[NFIELDS];
	struct kvlist		 kv;
	struct arena		*a;
	struct perr		 e;
	json_t			*j = NULL;
	time_t			 now;
	size_t			 i;
	int			 rc;

	if (size < 1)
		return 0;
	now = (time_t)(data[0] >> 1) * 86400 * 97;
	a = arena_new(0);
	memset(&kv, 0, sizeof(kv));
	memset(&e, 0, sizeof(e));
	if (data[0] & 1) {
		if (!jsonbody_parse(a, (const char *)data + 1, size - 1, &jl,
		    &j, &e))
			goto out;
	} else if (!urlenc_parse(a, (const char *)data + 1, size - 1, &ul,
	    "form", &kv, &e))
		goto out;
	memset(&e, 0, sizeof(e));
	rc = input_read(a, &form, j, j != NULL ? NULL : &kv, now, v, &e);
	if (rc == 1) {
		for (i = 0; i < NFIELDS; i++)
			check(&fields[i], &v[i], now);
		if (!v[0].present)
			__builtin_trap();	/* required */
	} else {
		if (rc != 0 || e.status != 422 || e.code == NULL ||
		    e.field == NULL || e.message[0] == '\0' ||
		    !utf8_valid(e.message, strlen(e.message)))
			__builtin_trap();
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(e.field, fields[i].name) == 0)
				break;
		if (i == NFIELDS || (strcmp(e.code, "missing") != 0 &&
		    strcmp(e.code, "invalid") != 0 &&
		    strcmp(e.code, "too_long") != 0 &&
		    strcmp(e.code, "too_many") != 0))
			__builtin_trap();
	}
out:
	json_decref(j);
	arena_free(a);
	return 0;
}
