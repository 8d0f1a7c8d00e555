/*
 * audit.c: hub admins browse the audit log (/hub/audit,
 * GET /api/v1/audit) and export it as CSV (RFC 4180; a cell that a
 * spreadsheet would read as a formula is prefixed with a quote).
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "buf.h"
#include "date.h"
#include "handlers.h"
#include "req.h"
#include "resp.h"

static const char *
param(struct req *r, const char *name)
{
	const char	*v = kv_get(&r->query, name);

	return v != NULL ? v : "";
}

static void
csv_cell(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (strchr("=+-@\t\r", *s) != NULL && *s != '\0')
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static int
csv(struct req *r, json_t *rows)
{
	static const char *const cols[] = { "at", "actor", "actor_name",
	    "action", "object_type", "object_id", "unit", "before", "after" };
	struct buf	 b;
	size_t		 i, c;
	char		*out;

	buf_init(&b);
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		buf_printf(&b, "%s%s", c ? "," : "", cols[c]);
	buf_puts(&b, "\r\n");
	for (i = 0; i < json_array_size(rows); i++) {
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			if (c)
				buf_putc(&b, ',');
			csv_cell(&b, json_string_value(json_object_get(
			    json_array_get(rows, i), cols[c])));
		}
		buf_puts(&b, "\r\n");
	}
	out = arena_alloc(r->a, b.len + 1);
	memcpy(out, b.data, b.len);
	r->resp.raw = out;
	r->resp.raw_len = b.len;
	r->resp.raw_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
	    "attachment; filename=\"audit.csv\"");
	buf_free(&b);
	return 200;
}

int
audit_get(struct req *r)
{
	struct audit_filter	 f;
	json_t			*rows = req_array(r);
	const char		*fmt = param(r, "format"), *bad = NULL;

	f.actor = param(r, "actor");
	f.unit = param(r, "unit");
	f.action = param(r, "action");
	f.from = param(r, "from");
	f.to = param(r, "to");
	if (*f.from != '\0' && !date_parse(f.from, NULL))
		bad = "from";
	else if (*f.to != '\0' && !date_parse(f.to, NULL))
		bad = "to";
	if (bad != NULL)
		return req_fail(r, 422, "invalid", bad, "dates are written "
		    "YYYY-MM-DD and must exist");
	if (audit_list(r, &f, rows) < 0)
		return req_db_fail(r);
	if (strcmp(fmt, "csv") == 0)
		return csv(r, rows);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O}", "entries",
		    rows));
	return req_view(r, 200, "hub_audit", req_pack(r, "{s:O, s:{s:s, s:s, "
	    "s:s, s:s, s:s}, s:s}", "entries", rows, "values", "actor",
	    f.actor, "unit", f.unit, "action", f.action, "from", f.from,
	    "to", f.to, "query", r->query_string ? r->query_string : ""));
}
