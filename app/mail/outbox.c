/* outbox.c: queue e-mail rendered from templates as jobs. */
#include "config.h"

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
	    "INSERT INTO jobs (kind, payload) VALUES ('mail', $1::jsonb)" },
};

const struct db_stmts outbox_stmts = { sqls, NELEM(sqls) };

/* Render into out; 1, or 0 when the view is missing or fails. */
static int
render(struct req *r, const char *view, json_t *data, struct buf *out)
{
	const struct mustache	*t;
	json_t			*ctx;
	char			 err[256];
	int			 ok;

	if ((t = mustache_set_get(r->app->views, view)) == NULL) {
		logm(L_ERROR, r->id, "no mail view named \"%s\"", view);
		return 0;
	}
	ctx = json_deep_copy(data);
	json_object_set(ctx, "site", r->app->site);
	json_object_set_new(ctx, "public_url", json_string(r->conf->public_url));
	ok = mustache_render(t, r->app->views, ctx, MUSTACHE_ESC_NONE, out,
	    err, sizeof(err));
	json_decref(ctx);
	if (!ok)
		logm(L_ERROR, r->id, "could not render \"%s\": %s", view, err);
	return ok;
}

int
outbox_mail(struct req *r, const char *to, const char *name, json_t *data)
{
	struct buf	 b;
	json_t		*job = NULL;
	const char	*v;
	char		*subject, *body, *nl, *dump = NULL;
	PGresult	*res;
	int		 rc = 0;

	buf_init(&b);
	if (!render(r, arena_printf(r->a, "mail_%s.txt", name), data, &b))
		goto out;
	subject = b.data;
	if (strncmp(subject, "Subject: ", 9) != 0 ||
	    (nl = strstr(subject, "\n\n")) == NULL) {
		logm(L_ERROR, r->id, "mail view %s lacks its Subject line", name);
		goto out;
	}
	*nl = '\0';
	subject += 9;
	body = nl + 2;
	job = json_pack("{s:s, s:s, s:s}", "to", to, "subject", subject,
	    "body", body);
	if (job == NULL || (dump = json_dumps(job, JSON_COMPACT)) == NULL) {
		logm(L_ERROR, r->id, "mail %s is not valid UTF-8", name);
		goto out;
	}
	v = dump;
	rc = db_query(r->db, r->a, &sqls[OUTBOX_ADD], 1, &v, &res);
out:
	free(dump);
	json_decref(job);
	buf_free(&b);
	return rc;
}
