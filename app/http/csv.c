/*
 * csv.c: tables exported as CSV (RFC 4180), their formula-looking cells
 * defused; the audit log's export and the guideline statistics share it.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "csv.h"
#include "req.h"
#include "resp.h"

void
csv_cell(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Value v as a cell's text, in the arena. */
static const char *
csv_text(struct req *r, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(r->a, "%lld",
		    (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(r->a, "%g", json_real_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return "";
}

int
csv_answer(struct req *r, const char *filename, const char *const *cols,
    size_t ncols, json_t *rows)
{
	struct buf	 b;
	json_t		*row;
	size_t		 i, c;
	char		*out;

	buf_init(&b);
	for (c = 0; c < ncols; c++)
		buf_printf(&b, "%s%s", c ? "," : "", cols[c]);
	buf_puts(&b, "\r\n");
	json_array_foreach(rows, i, row) {
		for (c = 0; c < ncols; c++) {
			if (c)
				buf_putc(&b, ',');
			csv_cell(&b, csv_text(r, json_object_get(row,
			    cols[c])));
		}
		buf_puts(&b, "\r\n");
	}
	out = arena_alloc(r->a, b.len + 1);
	memcpy(out, b.data, b.len);
	r->resp.raw = out;
	r->resp.raw_len = b.len;
	r->resp.raw_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a,
	    "attachment; filename=\"%s\"", filename));
	buf_free(&b);
	return 200;
}
