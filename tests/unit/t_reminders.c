/*
 * t_reminders.c: reminder digests without a database: durations in
 * words, claimed rows grouped into one digest per approver, a mail job's
 * payload composed from a view (outbox_payload()), and
 * templates/mail_reminder.txt rendered byte for byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mustache.h"
#include "outbox.h"
#include "reminders.h"
#include "tap.h"
#include "views.h"

static void
test_duration(void)
{
	static const struct {
		long long	 secs;
		const char	*want;
	} cases[] = {
		{ 0, "less than a minute" },
		{ 59, "less than a minute" },
		{ 60, "1 minute" },
		{ 119, "1 minute" },
		{ 120, "2 minutes" },
		{ 3600, "60 minutes" },
		{ 7199, "119 minutes" },
		{ 7200, "2 hours" },
		{ 86400, "24 hours" },
		{ 172799, "47 hours" },
		{ 172800, "2 days" },
		{ 10 * 86400 + 86399, "10 days" },
		{ 365LL * 86400, "365 days" },
	};
	char	 buf[64], tiny[6];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reminders_duration(cases[i].secs, buf, sizeof(buf));
		is_str(buf, cases[i].want, "%lld seconds in words",
		    cases[i].secs);
	}
	reminders_duration(172800, tiny, sizeof(tiny));
	is_str(tiny, "2 day", "the text is cut to the buffer, terminated");
}

/* One claimed row, as reminders_db_claim() makes it. */
static json_t *
row(int person, const char *email, const char *name, const char *slug,
    const char *unit, long long waited)
{
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
	    "person_id", person, "email", email, "name", name, "slug", slug,
	    "unit", unit, "requester", "Rita Requester", "requester_email",
	    "rita@example.org", "waited_seconds", (json_int_t)waited);
}

static void
test_group(void)
{
	json_t	*rows = json_array(), *out, *d, *u;
	char	*dump;

	out = reminders_group(rows, 172800);
	is_int(json_array_size(out), 0, "no rows, no digest");
	json_decref(out);

	json_array_append_new(rows, row(3, "ada@example.org", "Ada", "east",
	    "East Chapter", 5 * 86400));
	json_array_append_new(rows, row(3, "ada@example.org", "Ada", "west",
	    "West Market", 3 * 3600));
	json_array_append_new(rows, row(9, "bo@example.org", "Bo", "east",
	    "East Chapter", 5 * 86400));
	out = reminders_group(rows, 3600);
	is_int(json_array_size(out), 2, "one digest per approver");
	d = json_array_get(out, 0);
	dump = json_dumps(d, JSON_SORT_KEYS | JSON_COMPACT);
	is_str(dump, "{\"after\":\"60 minutes\",\"count\":2,\"name\":\"Ada\","
	    "\"several\":true,\"to\":\"ada@example.org\",\"units\":["
	    "{\"name\":\"East Chapter\",\"requester\":\"Rita Requester\","
	    "\"requester_email\":\"rita@example.org\",\"slug\":\"east\","
	    "\"waited\":\"5 days\"},"
	    "{\"name\":\"West Market\",\"requester\":\"Rita Requester\","
	    "\"requester_email\":\"rita@example.org\",\"slug\":\"west\","
	    "\"waited\":\"3 hours\"}]}",
	    "the first digest lists both requests of its approver, in order");
	free(dump);
	d = json_array_get(out, 1);
	is_str(json_string_value(json_object_get(d, "to")), "bo@example.org",
	    "the second digest goes to the second approver");
	is_int(json_integer_value(json_object_get(d, "count")), 1,
	    "with one request");
	ok(json_is_false(json_object_get(d, "several")), "so not several");
	u = json_array_get(json_object_get(d, "units"), 0);
	is_str(json_string_value(json_object_get(u, "slug")), "east",
	    "the request is the one of its row");
	json_decref(out);

	/* A later row of the first approver starts no new digest if the rows
	 * of an approver are together, but a new one if they are not. */
	json_array_append_new(rows, row(3, "ada@example.org", "Ada", "north",
	    "North", 60));
	out = reminders_group(rows, 3600);
	is_int(json_array_size(out), 3, "rows are grouped as they come: "
	    "an approver's rows must be together, as the claim orders them");
	json_decref(out);
	json_decref(rows);
}

/* A set holding one view. */
static struct mustache_set *
one_view(const char *name, const char *text)
{
	struct mustache_set	*set = mustache_set_new();
	char			 err[256];

	if (!mustache_set_add(set, name, text, strlen(text), err, sizeof(err)))
		printf("# %s\n", err);
	return set;
}

static void
test_payload(void)
{
	struct mustache_set	*set;
	json_t			*site, *data, *job;
	char			*p, err[256];

	site = json_pack("{s:s}", "name", "Hub");
	data = json_pack("{s:s}", "who", "Ann");
	set = one_view("mail_hi.txt", "Subject: Hi {{who}} from {{site.name}}"
	    "\n\nSee {{public_url}}/x\n");
	p = outbox_payload(set, site, "https://hub.test", "ann@example.org",
	    "hi", data, err, sizeof(err));
	job = p ? json_loads(p, 0, NULL) : NULL;
	is_str(json_string_value(json_object_get(job, "to")),
	    "ann@example.org", "payload: to");
	is_str(json_string_value(json_object_get(job, "subject")),
	    "Hi Ann from Hub", "payload: the subject, without \"Subject: \"");
	is_str(json_string_value(json_object_get(job, "body")),
	    "See https://hub.test/x\n", "payload: the body, after the blank "
	    "line");
	is_int(json_object_size(job), 3, "payload: nothing else");
	json_decref(job);
	free(p);

	p = outbox_payload(set, site, "u", "a@example.org", "nothere", data,
	    err, sizeof(err));
	ok(p == NULL && strstr(err, "mail_nothere.txt") != NULL,
	    "a missing view is refused, naming it: %s", err);
	mustache_set_free(set);

	set = one_view("mail_bad.txt", "Hello\n\nno subject\n");
	p = outbox_payload(set, site, "u", "a@example.org", "bad", data, err,
	    sizeof(err));
	ok(p == NULL && strstr(err, "Subject") != NULL,
	    "a view without its Subject line is refused: %s", err);
	mustache_set_free(set);

	set = one_view("mail_raw.txt", "Subject: x\n\nbyte \xff\n");
	p = outbox_payload(set, site, "u", "a@example.org", "raw", data, err,
	    sizeof(err));
	ok(p == NULL && strstr(err, "UTF-8") != NULL,
	    "a view yielding text that is not UTF-8 is refused: %s", err);
	free(p);
	mustache_set_free(set);
	json_decref(data);
	json_decref(site);
}

static const char	 want_several[] =
    "{\"to\":\"ada@example.org\",\"subject\":\"2 workspace requests waiting "
    "for a decision on Chapterhouse\",\"body\":\"Hello Ada,\\n\\n"
    "these workspace requests have waited longer than 2 days for a "
    "decision:\\n\\n"
    "East Chapter (east)\\n"
    "requested by Rita Requester <rita@example.org>, waiting 5 days\\n"
    "https://hub.test/units/east\\n\\n"
    "West Market (west)\\n"
    "requested by Rita Requester <rita@example.org>, waiting 3 days\\n"
    "https://hub.test/units/west\\n\\n"
    "The queue, oldest request first:\\n\\n"
    "https://hub.test/hub/queue\\n\\n"
    "You are sent this reminder at most once a day, while requests wait\\n"
    "longer than 2 days.\\n\\n"
    "-- \\nChapterhouse\\n\"}";

static void
test_template(const struct mustache_set *views)
{
	json_t	*rows = json_array(), *digests, *site;
	char	*p, err[512];

	site = json_pack("{s:s}", "name", "Chapterhouse");
	json_array_append_new(rows, row(3, "ada@example.org", "Ada", "east",
	    "East Chapter", 5 * 86400));
	json_array_append_new(rows, row(3, "ada@example.org", "Ada", "west",
	    "West Market", 3 * 86400 + 5));
	digests = reminders_group(rows, 172800);
	p = outbox_payload(views, site, "https://hub.test", "ada@example.org",
	    "reminder", json_array_get(digests, 0), err, sizeof(err));
	is_str(p, want_several, "mail_reminder.txt: a digest of two requests");
	if (p == NULL)
		printf("#   %s\n", err);
	free(p);
	json_decref(digests);

	json_array_remove(rows, 1);
	digests = reminders_group(rows, 172800);
	p = outbox_payload(views, site, "https://hub.test", "ada@example.org",
	    "reminder", json_array_get(digests, 0), err, sizeof(err));
	ok(p != NULL && strstr(p, "\"subject\":\"1 workspace request waiting "
	    "for") != NULL && strstr(p, "this workspace request has waited "
	    "longer than 2 days") != NULL, "mail_reminder.txt: a digest of "
	    "one request speaks of one");
	free(p);
	json_decref(digests);
	json_decref(rows);
	json_decref(site);
}

int
main(void)
{
	struct mustache_set	*views;
	const char		*src = getenv("CH_SRCDIR");
	char			 dir[4096], err[1024];

	test_duration();
	test_group();
	test_payload();
	snprintf(dir, sizeof(dir), "%s/templates", src ? src : ".");
	views = views_load(dir, err, sizeof(err));
	if (ok(views != NULL, "the views of templates/ compile: %s",
	    views ? "yes" : err))
		test_template(views);
	mustache_set_free(views);
	return tap_done();
}
