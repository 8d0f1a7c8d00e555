/* directory.c: the hub's directory of every unit, page and API. */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "app.h"
#include "arena.h"
#include "directory_db.h"
#include "handlers.h"
#include "input.h"
#include "kv.h"
#include "req.h"
#include "session.h"
#include "urlenc.h"
#include "utf8.h"
#include "util.h"

#define DIRECTORY_Q_MAX	100	/* characters of a search */

/* The values the units table accepts (sql/003_units.sql). */
static const char *const states[] = {
	"requested", "changes_requested", "approved", "suspended", "rejected",
	"archived", NULL
};
static const char *const sorts[] = { "name", "created", "state", NULL };
static const char *const sort_labels[] = { "Name", "Newest first",
	"State (waiting first)" };

/* The query parameters that ask GET /api/v1/units for the directory. */
static const char *const params[] = { "q", "kind", "region", "sort", "page",
	"per_page", NULL };

/*
 * Hub admins, communicators and HR: row-level security shows each of
 * them every unit already, so the directory shows them nothing new.
 */
static int
directory_may(const struct req *r)
{
	return r->sess != NULL && (r->sess->roles & (HUB_ADMIN | HUB_COMMS |
	    HUB_HR)) != 0;
}

static const char *
directory_param(const struct req *r, const char *name)
{
	const char	*v = kv_get(&r->query, name);

	return v != NULL ? v : "";
}

/* A page number or size in [1, max], or "" for dflt; 0 when neither. */
static int
directory_count(const char *s, long long max, long long dflt,
    long long *out)
{
	if (*s == '\0') {
		*out = dflt;
		return 1;
	}
	return parse_ll(s, 1, max, out);
}

/*
 * Read the filters of the query string, checking each against what it
 * may be (regions: those units name).  1, or the status after
 * answering 400 naming the field.
 */
static int
directory_filter(struct req *r, json_t *regions, struct directory_filter *f)
{
	json_t	*v;
	size_t	 i;
	int	 found;

	f->q = directory_param(r, "q");
	f->state = directory_param(r, "state");
	f->kind = directory_param(r, "kind");
	f->region = directory_param(r, "region");
	f->sort = directory_param(r, "sort");
	if (utf8_chars(f->q) > DIRECTORY_Q_MAX)
		return req_fail(r, 400, "too_long", "q", "a search is at most "
		    "%d characters", DIRECTORY_Q_MAX);
	if (*f->state != '\0' && !input_one_of(states, f->state))
		return req_fail(r, 400, "invalid", "state", "state is one of "
		    "requested, changes_requested, approved, suspended, "
		    "rejected, archived");
	if (*f->kind != '\0' && !input_one_of(unit_kinds, f->kind))
		return req_fail(r, 400, "invalid", "kind", "kind is one of "
		    "chapter, franchise, dealership, regional_market, "
		    "department, agency_team, other");
	found = *f->region == '\0';
	json_array_foreach(regions, i, v)
		if (strcmp(json_string_value(v), f->region) == 0)
			found = 1;
	if (!found)
		return req_fail(r, 400, "invalid", "region", "no unit names "
		    "this region");
	if (*f->sort == '\0')
		f->sort = "name";
	if (!input_one_of(sorts, f->sort))
		return req_fail(r, 400, "invalid", "sort", "sort is name, "
		    "created or state");
	if (!directory_count(directory_param(r, "page"), 1000000, 1,
	    &f->page))
		return req_fail(r, 400, "invalid", "page", "page is a number "
		    "from 1");
	if (!directory_count(directory_param(r, "per_page"),
	    DIRECTORY_PER_PAGE_MAX, DIRECTORY_PER_PAGE, &f->per_page))
		return req_fail(r, 400, "invalid", "per_page", "per_page is a "
		    "number from 1 to %d", DIRECTORY_PER_PAGE_MAX);
	return 1;
}

/* Options of a select: {"value", "label", "selected"}. */
static json_t *
directory_options(const char *const *values, const char *const *labels,
    const char *cur)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; values[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value",
		    values[i], "label", labels != NULL ? labels[i] : values[i],
		    "selected", strcmp(values[i], cur) == 0));
	return a;
}

/* The address of page n with the same filters. */
static const char *
directory_href(struct req *r, const struct directory_filter *f, long long n)
{
	return arena_printf(r->a, "/hub/units?q=%s&state=%s&kind=%s&"
	    "region=%s&sort=%s&per_page=%lld&page=%lld",
	    urlenc_component(r->a, f->q), f->state, f->kind,
	    urlenc_component(r->a, f->region), f->sort, f->per_page, n);
}

/* The directory page around units, arena-owned like units. */
static json_t *
directory_page(struct req *r, const struct directory_filter *f,
    json_t *units, json_t *regions, long long total)
{
	json_t		*d, *u, *opts;
	const char	*g;
	size_t		 i;
	long long	 pages = (total + f->per_page - 1) / f->per_page;

	json_array_foreach(units, i, u)
		json_object_set_new(u, "has_owners", json_boolean(
		    json_array_size(json_object_get(u, "owners")) > 0));
	opts = json_array();
	for (i = 0; i < json_array_size(regions); i++) {
		g = json_string_value(json_array_get(regions, i));
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", g, "label", g, "selected",
		    strcmp(g, f->region) == 0));
	}
	d = req_pack(r, "{s:O, s:I, s:I, s:I, s:b, s:{s:s}, s:o, s:o, s:o, "
	    "s:o}", "units", units, "total", (json_int_t)total, "page",
	    (json_int_t)f->page, "pages", (json_int_t)(pages > 0 ? pages : 1),
	    "filtered", *f->q != '\0' || *f->state != '\0' ||
	    *f->kind != '\0' || *f->region != '\0', "values", "q", f->q,
	    "states", directory_options(states, NULL, f->state), "kinds",
	    directory_options(unit_kinds, NULL, f->kind), "regions", opts,
	    "sorts", directory_options(sorts, sort_labels, f->sort));
	json_object_set_new(d, "one_unit", json_boolean(total == 1));
	json_object_set_new(d, "has_units", json_boolean(json_array_size(
	    units) > 0));
	json_object_set_new(d, "has_pager", json_boolean(f->page > 1 ||
	    f->page < pages));
	if (f->page > 1)
		json_object_set_new(d, "prev", json_string(directory_href(r, f,
		    f->page - 1)));
	if (f->page < pages)
		json_object_set_new(d, "next", json_string(directory_href(r, f,
		    f->page + 1)));
	return d;
}

/* The directory as a page or JSON, for those who may read it. */
static int
directory_answer(struct req *r)
{
	struct directory_filter	 f;
	json_t			*regions, *units;
	long long		 total, pages;
	int			 rc;

	if (!directory_may(r))
		return req_fail(r, 403, "forbidden", NULL, "the directory of "
		    "units is for the hub's admins, communicators and HR");
	memset(&f, 0, sizeof(f));
	regions = req_array(r);
	if (directory_db_regions(r, regions) < 0)
		return req_db_fail(r);
	if ((rc = directory_filter(r, regions, &f)) != 1)
		return rc;
	units = req_array(r);
	if (directory_db_list(r, &f, units, &total) < 0)
		return req_db_fail(r);
	if (r->fmt == FMT_JSON) {
		pages = (total + f.per_page - 1) / f.per_page;
		return req_view(r, 200, NULL, req_pack(r, "{s:O, s:I, s:I, "
		    "s:I, s:I}", "units", units, "total", (json_int_t)total,
		    "page", (json_int_t)f.page, "per_page",
		    (json_int_t)f.per_page, "pages", (json_int_t)pages));
	}
	return req_view(r, 200, "hub_units", directory_page(r, &f, units,
	    regions, total));
}

int
directory_get(struct req *r)
{
	return directory_answer(r);
}

int
directory_api(struct req *r)
{
	size_t	 i;

	for (i = 0; params[i] != NULL; i++)
		if (kv_get(&r->query, params[i]) != NULL)
			break;
	/* Without the directory's parameters: the list as it always was. */
	if (params[i] == NULL)
		return units_list(r);
	if (r->sess == NULL)
		return req_fail(r, 401, "not_signed_in", NULL, "sign in to "
		    "read the directory of units");
	return directory_answer(r);
}
