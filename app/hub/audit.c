/*
 * audit.c: hub admins browse the audit log (/hub/audit,
 * GET /api/v1/audit) and export it as CSV (csv.h: RFC 4180, a cell that
 * a spreadsheet would read as a formula prefixed with a quote).
 */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "csv.h"
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

/* The columns of the export, in order. */
static const char *const audit_cols[] = { "at", "actor", "actor_name",
    "action", "object_type", "object_id", "unit", "before", "after" };

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
		return csv_answer(r, "audit.csv", audit_cols,
		    sizeof(audit_cols) / sizeof(audit_cols[0]), rows);
	if (r->fmt == FMT_JSON)
		return req_view(r, 200, NULL, req_pack(r, "{s:O}", "entries",
		    rows));
	return req_view(r, 200, "hub_audit", req_pack(r, "{s:O, s:{s:s, s:s, "
	    "s:s, s:s, s:s}, s:s}", "entries", rows, "values", "actor",
	    f.actor, "unit", f.unit, "action", f.action, "from", f.from,
	    "to", f.to, "query", r->query_string ? r->query_string : ""));
}
