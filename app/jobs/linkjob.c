/*
 * linkjob.c: carry out a 'links.check' job: visit each distinct URL of
 * a revision once with the link checker, one at a time (so never two
 * connections to a host at once), within the job's deadline, and hand
 * every link's result to the database, which raises the dead ones.
 *
 * The links are those the save found (at most GUIDE_LINKS_MAX, with
 * their spans); the worker reads no post.  A link still waiting when
 * the job's deadline comes is recorded 'unchecked' and raises nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "guide_links.h"
#include "jobs_db.h"
#include "linkcheck.h"
#include "linkjob.h"
#include "log.h"
#include "util.h"

/* The reason phrases of the error statuses a writer meets most. */
static const struct {
	long		 code;
	const char	*phrase;
} phrases[] = {
	{ 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 408, "Request Timeout" },
	{ 410, "Gone" }, { 429, "Too Many Requests" },
	{ 451, "Unavailable For Legal Reasons" },
	{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
};

void
linkjob_opts(const struct conf *c, struct linkcheck_opts *o)
{
	linkcheck_defaults(o);
	o->connect_timeout_ms = (long)c->link_check_connect_timeout * 1000;
	o->timeout_ms = (long)c->link_check_timeout * 1000;
	o->max_bytes = c->link_check_max_bytes;
	o->allow = c->link_check_allow == CONF_ALLOW_PRIVATE ?
	    LINKCHECK_ALLOW_LOOPBACK | LINKCHECK_ALLOW_PRIVATE :
	    c->link_check_allow == CONF_ALLOW_LOOPBACK ?
	    LINKCHECK_ALLOW_LOOPBACK : 0;
}

void
linkjob_what(const struct linkcheck_result *res, long secs, char *dst,
    size_t n)
{
	size_t	 i;

	switch (res->status) {
	case LINKCHECK_OK:
		snprintf(dst, n, "%s", "");
		return;
	case LINKCHECK_DEAD:
		for (i = 0; i < NELEM(phrases); i++)
			if (phrases[i].code == res->http_status) {
				snprintf(dst, n, "%ld %s", res->http_status,
				    phrases[i].phrase);
				return;
			}
		snprintf(dst, n, "HTTP status %ld", res->http_status);
		return;
	case LINKCHECK_UNREACHABLE:
		if (strcmp(res->reason, "timed out") == 0)
			snprintf(dst, n, "no answer within %ld s", secs);
		else
			snprintf(dst, n, "no answer: %s", res->reason);
		return;
	case LINKCHECK_REFUSED:
		if (strstr(res->reason, "address") != NULL)
			snprintf(dst, n, "address not allowed");
		else
			snprintf(dst, n, "%s", res->reason);
		return;
	case LINKCHECK_TOO_BIG:
		snprintf(dst, n, "answer larger than the size cap");
		return;
	default:
		snprintf(dst, n, "%s", res->reason);
	}
}

/* The index of the first link before i with the URL of link i, or i. */
static size_t
first_of(json_t *links, size_t i)
{
	const char	*url = json_string_value(json_object_get(
			    json_array_get(links, i), "url"));
	size_t		 k;

	for (k = 0; k < i; k++)
		if (strcmp(json_string_value(json_object_get(
		    json_array_get(links, k), "url")), url) == 0)
			return k;
	return i;
}

/* Whether l is {"url": a string, "start", "end": integers}. */
static int
link_ok(json_t *l)
{
	json_t	*u = json_object_get(l, "url");

	return json_is_string(u) && strlen(json_string_value(u)) ==
	    json_string_length(u) && json_string_length(u) > 0 &&
	    json_string_length(u) <= GUIDE_LINK_URL_MAX &&
	    json_is_integer(json_object_get(l, "start")) &&
	    json_is_integer(json_object_get(l, "end"));
}

/* r marked unchecked, for why: it raises nothing. */
static json_t *
unchecked(json_t *r, const char *why)
{
	json_object_set_new(r, "status", json_string("unchecked"));
	json_object_set_new(r, "http_status", json_null());
	json_object_set_new(r, "error", json_string(why));
	return r;
}

/* The least time, in ms, worth giving a link's check. */
#define LINKJOB_MIN_MS	250

/* Check link i (or copy the result of the same URL before it). */
static json_t *
check_one(json_t *links, size_t i, json_t *out, const struct
    linkcheck_opts *base, long long deadline)
{
	struct linkcheck_opts	 o = *base;
	struct linkcheck_result	 res;
	json_t			*l = json_array_get(links, i), *r;
	size_t			 k = first_of(links, i);
	long long		 left = (deadline - now_usec()) / 1000;
	char			 what[300];

	r = json_pack("{s:O, s:O, s:O}", "url", json_object_get(l, "url"),
	    "start", json_object_get(l, "start"), "end",
	    json_object_get(l, "end"));
	if (k < i) {
		json_object_update_missing(r, json_array_get(out, k));
		return r;
	}
	/*
	 * A link is not begun with less than LINKJOB_MIN_MS left: libcurl's
	 * timer may end the link before it a little early, and a check
	 * given a few milliseconds tells nothing about the link.
	 */
	if (left < LINKJOB_MIN_MS)
		return unchecked(r, "not checked within the job's deadline");
	if (o.timeout_ms > left)
		o.timeout_ms = (long)left;
	if (linkcheck_url(json_string_value(json_object_get(l, "url")), &o,
	    &res) < 0)
		return unchecked(r, "the link checker could not start");
	linkjob_what(&res, (o.timeout_ms + 999) / 1000, what, sizeof(what));
	json_object_set_new(r, "status", json_string(
	    linkcheck_status_name(res.status)));
	json_object_set_new(r, "http_status", res.http_status > 0 ?
	    json_integer(res.http_status) : json_null());
	json_object_set_new(r, "error", what[0] ? json_string(what) :
	    json_null());
	return r;
}

int
linkjob_run(struct jobs_db *db, const struct conf *c, const char *payload,
    char *err, size_t n)
{
	struct linkcheck_opts	 o;
	json_t			*root, *links, *out = NULL, *r;
	json_error_t		 je;
	json_int_t		 u, p, rev;
	long long		 deadline;
	size_t			 i, dead = 0;
	char			*text = NULL;
	int			 rc = 0, raised = 0;

	if ((root = json_loads(payload, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL || json_unpack(root, "{s:I, s:I, s:I, s:o}", "unit_id", &u,
	    "post_id", &p, "revision", &rev, "links", &links) != 0 ||
	    !json_is_array(links)) {
		snprintf(err, n, "malformed payload: %s", root == NULL ?
		    je.text : "unit_id, post_id, revision and links are "
		    "needed");
		goto out;
	}
	for (i = 0; i < json_array_size(links); i++)
		if (!link_ok(json_array_get(links, i))) {
			snprintf(err, n, "malformed payload: link %zu", i);
			goto out;
		}
	linkjob_opts(c, &o);
	deadline = now_usec() + (long long)c->link_check_job_timeout *
	    1000000;
	out = json_array();
	for (i = 0; i < json_array_size(links) && i < GUIDE_LINKS_MAX; i++) {
		r = check_one(links, i, out, &o, deadline);
		if (strcmp(json_string_value(json_object_get(r, "status")),
		    "dead") == 0 || strcmp(json_string_value(json_object_get(
		    r, "status")), "unreachable") == 0 || strcmp(
		    json_string_value(json_object_get(r, "status")),
		    "refused") == 0)
			dead++;
		json_array_append_new(out, r);
	}
	if ((text = json_dumps(out, JSON_COMPACT)) == NULL) {
		snprintf(err, n, "could not write the results");
		goto out;
	}
	if (linkjob_db_record(db, u, p, rev, text, &raised) < 0) {
		snprintf(err, n, "could not record the results");
		rc = -1;
		goto out;
	}
	log_info("link check post=%lld revision=%lld links=%zu dead=%zu "
	    "raised=%d", (long long)p, (long long)rev, json_array_size(out),
	    dead, raised);
	rc = 1;
out:
	free(text);
	json_decref(out);
	json_decref(root);
	return rc;
}
