/*
 * digests.c: one mail per person of what is due, claimed, composed and
 * queued in one transaction (digests.h).
 */
#include "config.h"

#include <stdlib.h>

#include <jansson.h>

#include "conf.h"
#include "digests.h"
#include "jobs_db.h"
#include "log.h"
#include "outbox.h"

const char *
digests_str(json_t *o, const char *name)
{
	const char	*s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

json_t *
digests_group(json_t *rows, const char *list,
    json_t *(*head)(json_t *row, const void *arg),
    json_t *(*item)(json_t *row), const void *arg)
{
	json_t		*out = json_array(), *row, *d = NULL, *e;
	json_int_t	 who = 0, id;
	size_t		 i, count;

	json_array_foreach(rows, i, row) {
		id = json_integer_value(json_object_get(row, "person_id"));
		if (d == NULL || id != who) {
			who = id;
			if ((d = head(row, arg)) == NULL)
				continue;
			json_object_set_new(d, list, json_array());
			json_array_append_new(out, d);
		}
		if ((e = item(row)) != NULL)
			json_array_append_new(json_object_get(d, list), e);
	}
	json_array_foreach(out, i, d) {
		count = json_array_size(json_object_get(d, list));
		json_object_set_new(d, "count",
		    json_integer((json_int_t)count));
		json_object_set_new(d, "several", json_boolean(count > 1));
	}
	return out;
}

/* Compose and queue every digest: 1, 0 (one did not compose), -1. */
static int
queue_all(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site,
    const struct digest_kind *k, json_t *digests, int *sent)
{
	json_t	*d;
	char	*payload, err[512];
	size_t	 i;
	int	 rc;

	json_array_foreach(digests, i, d) {
		if ((payload = outbox_payload(views, site, c->public_url,
		    digests_str(d, "to"), k->view, d, err,
		    sizeof(err))) == NULL) {
			log_error("could not compose the %s to %s: %s",
			    k->what, digests_str(d, "to"), err);
			return 0;
		}
		rc = jobs_db_queue_mail(db, payload);
		free(payload);
		if (rc < 0)
			return -1;
		(*sent)++;
	}
	return 1;
}

int
digests_send(struct jobs_db *db, const struct conf *c,
    const struct mustache_set *views, json_t *site,
    const struct digest_kind *k, int *sent)
{
	json_t	*rows = NULL, *digests = NULL;
	int	 rc;

	*sent = 0;
	if (jobs_db_begin(db) < 0)
		return -1;
	if ((rc = k->claim(db, c, &rows)) < 0)
		goto out;
	digests = k->group(rows, c);
	rc = queue_all(db, c, views, site, k, digests, sent);
	if (rc >= 0 && jobs_db_end(db, rc == 1) < 0)
		rc = -1;
	if (rc != 1)
		*sent = 0;
out:
	json_decref(rows);
	json_decref(digests);
	return rc;
}
