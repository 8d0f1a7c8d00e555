/*
 * outbox.c: e-mail rendered from templates into the payload of a mail
 * job, and queued by request handlers in their transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "mustache.h"
#include "outbox.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	OUTBOX_ADD,
	OUTBOX__MAX
};

static const struct db_stmt sqls[OUTBOX__MAX] = {
	[OUTBOX_ADD] = { "outbox_add",
	    "INSERT INTO jobs (kind, payload) VALUES ('mail', $1::jsonb)",
	    NULL },
};

const struct db_stmts outbox_stmts = { sqls, NELEM(sqls), NULL };

/* Render into out; 1, or 0 with the reason in err (size n). */
static int
render(const struct mustache_set *views, json_t *site,
    const char *public_url, const char *view, json_t *data,
    struct buf *out, char *err, size_t n)
{
	const struct mustache	*t;
	json_t			*ctx;
	char			 why[256];
	int			 ok;

	if ((t = mustache_set_get(views, view)) == NULL) {
		snprintf(err, n, "no mail view named \"%s\"", view);
		return 0;
	}
	ctx = json_deep_copy(data);
	json_object_set(ctx, "site", site);
	json_object_set_new(ctx, "public_url", json_string(public_url));
	ok = mustache_render(t, views, ctx, MUSTACHE_ESC_NONE, out, why,
	    sizeof(why));
	json_decref(ctx);
	if (!ok)
		snprintf(err, n, "could not render \"%s\": %s", view, why);
	return ok;
}

char *
outbox_payload(const struct mustache_set *views, json_t *site,
    const char *public_url, const char *to, const char *name, json_t *data,
    char *err, size_t n)
{
	struct buf	 b;
	json_t		*job = NULL;
	char		 view[128];
	char		*subject, *body, *nl, *dump = NULL;

	buf_init(&b);
	snprintf(view, sizeof(view), "mail_%s.txt", name);
	if (!render(views, site, public_url, view, data, &b, err, n))
		goto out;
	subject = b.data;
	if (strncmp(subject, "Subject: ", 9) != 0 ||
	    (nl = strstr(subject, "\n\n")) == NULL) {
		snprintf(err, n, "mail view %s lacks its Subject line", name);
		goto out;
	}
	*nl = '\0';
	subject += 9;
	body = nl + 2;
	job = json_pack("{s:s, s:s, s:s}", "to", to, "subject", subject,
	    "body", body);
	if (job == NULL || (dump = json_dumps(job, JSON_COMPACT)) == NULL)
		snprintf(err, n, "mail %s is not valid UTF-8", name);
out:
	json_decref(job);
	buf_free(&b);
	return dump;
}

int
outbox_mail(struct req *r, const char *to, const char *name, json_t *data)
{
	PGresult	*res;
	char		*payload = NULL, err[512];
	const char	*v;
	int		 rc = -1;

	if (data == NULL) {
		logm(L_ERROR, r->id, "mail %s: no data to render (a value "
		    "is not valid UTF-8)", name);
		goto out;
	}
	if ((payload = outbox_payload(r->app->views, r->app->site,
	    r->conf->public_url, to, name, data, err, sizeof(err))) == NULL) {
		logm(L_ERROR, r->id, "%s", err);
		goto out;
	}
	v = payload;
	rc = db_query(r->db, r->a, &sqls[OUTBOX_ADD], 1, &v, &res);
out:
	free(payload);
	return rc;
}
