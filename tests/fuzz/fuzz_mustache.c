/*
 * fuzz_mustache.c: libFuzzer target for the Mustache compiler and
 * renderer.  The input is compiled as the template "self"; if it compiles
 * it is rendered, in both escaping modes, over a small fixed context with
 * a few fixed partials beside it ("self" may include itself).  A failure
 * must come with a message, and a failed render must leave the output
 * buffer as it found it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const partials[][2] = {
	{ "p", "<{{x}}>" },
	{ "list", "{{#list}}\n  {{name}}\n{{/list}}\n" },
	{ "layout", "<{{$title}}T{{/title}}>\n  {{$body}}\n  B\n  {{/body}}\n" },
	{ "loop", "{{>loop}}" },
};

static const char	 data[] = "{\"x\": \"<&'\\\">\", \"n\": 42, \"r\": 1.5,"
    " \"t\": true, \"f\": false, \"z\": null, \"e\": [], \"s\": \"\","
    " \"o\": {\"x\": \"in\", \"o\": {\"x\": \"deep\"}},"
    " \"list\": [{\"name\": \"a\"}, {\"name\": \"b\", \"list\": []}]}";

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static json_t		*ctx;
	struct mustache_set	*set;
	const struct mustache	*t;
	struct buf		 out;
	char			 err[256];
	size_t			 i, before;
	int			 esc;

	if (ctx == NULL && (ctx = json_loads(data, 0, NULL)) == NULL)
		__builtin_trap();
	set = mustache_set_new();
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
		if (!mustache_set_add(set, partials[i][0], partials[i][1],
		    strlen(partials[i][1]), err, sizeof(err)))
			__builtin_trap();
	err[0] = '\0';
	if (!mustache_set_add(set, "self", (const char *)in, size, err,
	    sizeof(err))) {
		if (strncmp(err, "self:", 5) != 0)
			__builtin_trap();
		mustache_set_free(set);
		return 0;
	}
	if ((t = mustache_set_get(set, "self")) == NULL)
		__builtin_trap();
	buf_init(&out);
	buf_puts(&out, "prefix");
	for (esc = 0; esc < 2; esc++) {
		err[0] = '\0';
		before = out.len;
		if (mustache_render(t, set, ctx, esc ? MUSTACHE_ESC_NONE :
		    MUSTACHE_ESC_HTML, &out, err, sizeof(err)))
			continue;
		if (err[0] == '\0' || out.len != before ||
		    out.data[before] != '\0' || memcmp(out.data, "prefix", 6))
			__builtin_trap();
	}
	if (out.data[out.len] != '\0')
		__builtin_trap();
	buf_free(&out);
	mustache_set_free(set);
	return 0;
}
