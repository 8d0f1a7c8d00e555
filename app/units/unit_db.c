/* unit_db.c: statements of units, their members and decisions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "member_db.h"
#include "req.h"
#include "stmts.h"
#include "unit_db.h"
#include "util.h"

enum {
	UNIT_MINE,
	UNIT_EXISTS,
	UNIT_STATE,
	UNIT_CREATE,
	UNIT_OWNER,
	UNIT_LIST,
	UNIT_LIST_MINE,
	UNIT_GET,
	UNIT_HISTORY,
	UNIT_DECIDE,
	UNIT_DECISION_ADD,
	UNIT_UPDATE,
	UNIT_CHANGES,
	UNIT_MEMBERS,
	UNIT_INVITE,
	UNIT_ACCEPT,
	UNIT__MAX
};

/*
 * The columns of a unit as the API shows it (see unit_json()).  Whether
 * the caller may decide it is ch_may_decide() written out, so that the
 * delegated units are asked once per statement, not once per row.
 */
#define UNIT_COLS \
	"u.slug, u.name, u.kind, coalesce(pu.slug, ''), " \
	"coalesce(u.region, ''), u.purpose, u.audience, " \
	"array_to_json(u.channels)::text, u.state, " \
	"to_char(u.created_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
	"CASE WHEN ch_hub_any() OR u.requested_by = ch_person() " \
	"THEN rp.name END, " \
	"CASE WHEN ch_hub_any() OR u.requested_by = ch_person() " \
	"THEN rp.email END, " \
	"floor(extract(epoch FROM now() - u.updated_at))::bigint, " \
	"coalesce(u.requested_by = ch_person(), false), " \
	"coalesce((SELECT m.role FROM unit_members m WHERE m.unit_id = u.id " \
	"AND m.person_id = ch_person()), ''), " \
	"(SELECT json_agg(json_build_object('id', q.id, 'question', " \
	"q.prompt, 'answer', a.answer) ORDER BY q.id) FROM unit_answers a " \
	"JOIN screening_questions q ON q.id = a.question_id " \
	"WHERE a.unit_id = u.id)::text, (ch_hub_role('admin') OR " \
	"(ch_person() IS NOT NULL AND u.id = ANY ((SELECT " \
	"ch_delegated_unit_ids())::bigint[]))), " \
	"(SELECT d.reason FROM unit_decisions d WHERE d.unit_id = u.id " \
	"ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) "
#define UNIT_FROM \
	"FROM units u LEFT JOIN units pu ON pu.id = u.parent_id " \
	"JOIN people rp ON rp.id = u.requested_by "

static const struct db_stmt sqls[UNIT__MAX] = {
	/* Who "I" am comes from the transaction, as for every policy. */
	[UNIT_MINE] = { "unit_mine",
	    "SELECT u.slug, u.name, u.state, m.role FROM unit_members m "
	    "JOIN units u ON u.id = m.unit_id WHERE m.person_id = ch_person() "
	    "AND (m.expires_at IS NULL OR m.expires_at > now()) "
	    "ORDER BY u.name, u.slug" },
	[UNIT_EXISTS] = { "unit_exists",
	    "SELECT 1 FROM units WHERE slug = $1" },
	[UNIT_STATE] = { "unit_state",
	    "SELECT state FROM units WHERE slug = $1" },
	[UNIT_CREATE] = { "unit_create",
	    "INSERT INTO units (slug, name, kind, parent_id, region, purpose, "
	    "audience, channels, requested_by) VALUES ($1, $2, $3, "
	    "(SELECT id FROM units WHERE slug = nullif($4, '')), "
	    "nullif($5, ''), $6, $7, $8::text[], ch_person()) RETURNING id" },
	[UNIT_OWNER] = { "unit_owner",
	    "INSERT INTO unit_members (unit_id, person_id, role) "
	    "VALUES ($1, ch_person(), 'owner')" },
	[UNIT_LIST] = { "unit_list",
	    "SELECT " UNIT_COLS UNIT_FROM
	    "WHERE ($1 = '' OR u.state = $1) "
	    "ORDER BY u.created_at, u.id LIMIT 1000" },
	[UNIT_LIST_MINE] = { "unit_list_mine",
	    "SELECT " UNIT_COLS UNIT_FROM
	    "WHERE u.requested_by = ch_person() OR u.id IN "
	    "(SELECT ch_my_units()) ORDER BY u.name, u.id" },
	[UNIT_GET] = { "unit_get",
	    "SELECT " UNIT_COLS UNIT_FROM "WHERE u.slug = $1" },
	[UNIT_HISTORY] = { "unit_history",
	    "SELECT d.decision, coalesce(d.reason, ''), d.automatic, "
	    "coalesce(d.reason_code, ''), "
	    "to_char(d.decided_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM unit_decisions d JOIN units u ON u.id = d.unit_id "
	    "WHERE u.slug = $1 ORDER BY d.decided_at, d.id" },
	/* The row lock makes concurrent decisions on one unit wait. */
	[UNIT_DECIDE] = { "unit_decide",
	    "WITH old AS (SELECT id, state FROM units WHERE slug = $1 "
	    "FOR UPDATE) UPDATE units u SET state = $2 FROM old, people p "
	    "WHERE u.id = old.id AND p.id = u.requested_by AND old.state <> $2 "
	    "RETURNING u.id, old.state, p.email, p.name, u.name, "
	    "to_jsonb(u.*)::text" },
	[UNIT_DECISION_ADD] = { "unit_decision_add",
	    "INSERT INTO unit_decisions (unit_id, decision, reason, "
	    "reason_code, decided_by, snapshot) VALUES ($1, $2, "
	    "nullif($3, ''), nullif($5, ''), ch_person(), $4::jsonb)" },
	/* The moves themselves are checked by the units_check_move trigger. */
	[UNIT_UPDATE] = { "unit_update",
	    "WITH old AS (SELECT id, state, to_jsonb(units.*) AS j FROM units "
	    "WHERE slug = $1 FOR UPDATE) UPDATE units u SET name = $2, "
	    "kind = $3, parent_id = (SELECT id FROM units WHERE slug = "
	    "nullif($4, '')), region = nullif($5, ''), purpose = $6, "
	    "audience = $7, channels = $8::text[], state = CASE WHEN "
	    "old.state = 'changes_requested' THEN 'requested' ELSE old.state "
	    "END FROM old WHERE u.id = old.id AND old.state IN ('requested', "
	    "'changes_requested') RETURNING u.id, u.state, old.j::text, "
	    "to_jsonb(u.*)::text" },
	/* What changed since the last decision, field by field. */
	[UNIT_CHANGES] = { "unit_changes",
	    "SELECT k, coalesce(d.snapshot->>k, ''), "
	    "coalesce(to_jsonb(u.*)->>k, '') FROM units u "
	    "JOIN LATERAL (SELECT snapshot FROM unit_decisions WHERE "
	    "unit_id = u.id ORDER BY decided_at DESC, id DESC LIMIT 1) d "
	    "ON true CROSS JOIN unnest(ARRAY['name', 'kind', 'parent_id', "
	    "'region', 'purpose', 'audience', 'channels']) WITH ORDINALITY "
	    "AS f(k, n) WHERE u.slug = $1 AND "
	    "d.snapshot->k IS DISTINCT FROM to_jsonb(u.*)->k ORDER BY n" },
	[UNIT_MEMBERS] = { "unit_members",
	    "SELECT p.email, p.name, m.role, " MEMBER_LAST_DAY("m.expires_at")
	    " FROM unit_members m "
	    "JOIN units u ON u.id = m.unit_id JOIN people p ON "
	    "p.id = m.person_id WHERE u.slug = $1 AND (m.expires_at IS NULL "
	    "OR m.expires_at > now()) ORDER BY array_position(ARRAY['owner', "
	    "'editor', 'author', 'guest'], m.role), p.name" },
	[UNIT_INVITE] = { "unit_invite",
	    "INSERT INTO invitations (token_hash, unit_id, email, role, "
	    "guest_until, invited_by, expires_at) SELECT $1::bytea, u.id, $3, "
	    "$4, (nullif($5, '')::date + 1)::timestamp AT TIME ZONE 'UTC', "
	    "ch_person(), now() + "
	    "make_interval(secs => $6::int) FROM units u WHERE u.slug = $2 "
	    "RETURNING unit_id, (SELECT name FROM units WHERE id = unit_id)" },
	[UNIT_ACCEPT] = { "unit_accept",
	    "SELECT slug, role, outcome, unit_id "
	    "FROM ch_accept_invitation($1::bytea)" },
};

const struct db_stmts unit_stmts = { sqls, NELEM(sqls) };

int
unit_db_mine(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query_last(r->db, r->a, &sqls[UNIT_MINE], 0, NULL,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}",
		    "slug", PQgetvalue(res, i, 0), "name", PQgetvalue(res, i, 1),
		    "state", PQgetvalue(res, i, 2), "role",
		    PQgetvalue(res, i, 3)));
	return 1;
}

int
unit_db_exists(struct req *r, const char *slug)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_EXISTS], 1, &slug,
	    &res)) != 1)
		return rc;
	return PQntuples(res) > 0;
}

int
unit_db_state(struct req *r, const char *slug, const char **state)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_STATE], 1, &slug,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*state = arena_strdup(r->a, PQgetvalue(res, 0, 0));
	return 1;
}

int
unit_db_create(struct req *r, const struct unit_new *u, long long *id)
{
	const char	*v[8] = { u->slug, u->name, u->kind, u->parent,
			    u->region, u->purpose, u->audience, u->channels };
	const char	*idv;
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_CREATE], 8, v,
	    &res)) != 1)
		return rc;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	idv = arena_printf(r->a, "%lld", *id);
	return db_query(r->db, r->a, &sqls[UNIT_OWNER], 1, &idv, &res);
}

/* "3 days", "5 hours", "12 minutes": how long a request has waited. */
static json_t *
waited(long long s)
{
	char	 buf[32];

	if (s >= 2 * 86400)
		snprintf(buf, sizeof(buf), "%lld days", s / 86400);
	else if (s >= 2 * 3600)
		snprintf(buf, sizeof(buf), "%lld hours", s / 3600);
	else
		snprintf(buf, sizeof(buf), "%lld minutes", s / 60);
	return json_string(buf);
}

static json_t *
unit_json(PGresult *res, int i)
{
	json_t	*u, *ch;

	ch = json_loads(PQgetvalue(res, i, 7), 0, NULL);
	u = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, "
	    "s:I}", "slug", PQgetvalue(res, i, 0), "name",
	    PQgetvalue(res, i, 1), "kind", PQgetvalue(res, i, 2), "parent",
	    PQgetvalue(res, i, 3), "region", PQgetvalue(res, i, 4), "purpose",
	    PQgetvalue(res, i, 5), "audience", PQgetvalue(res, i, 6),
	    "channels", ch != NULL ? ch : json_array(), "state",
	    PQgetvalue(res, i, 8), "created_at", PQgetvalue(res, i, 9),
	    "waiting_seconds", (json_int_t)strtoll(PQgetvalue(res, i, 12),
	    NULL, 10));
	if (u != NULL)
		json_object_set_new(u, "my_role", json_string(
		    PQgetvalue(res, i, 14)));
	if (u != NULL)
		json_object_set_new(u, "mine", json_boolean(
		    PQgetvalue(res, i, 13)[0] == 't'));
	/* An absent parent or region is null, not "". */
	if (u != NULL && *PQgetvalue(res, i, 3) == '\0')
		json_object_set_new(u, "parent", json_null());
	if (u != NULL && *PQgetvalue(res, i, 4) == '\0')
		json_object_set_new(u, "region", json_null());
	if (u != NULL) {
		ch = PQgetisnull(res, i, 15) ? NULL : json_loads(
		    PQgetvalue(res, i, 15), 0, NULL);
		json_object_set_new(u, "answers", ch != NULL ? ch :
		    json_array());
		json_object_set_new(u, "can_decide", json_boolean(
		    PQgetvalue(res, i, 16)[0] == 't'));
		if (!PQgetisnull(res, i, 17))
			json_object_set_new(u, "last_reason", json_string(
			    PQgetvalue(res, i, 17)));
	}
	if (u != NULL)
		json_object_set_new(u, "waiting", waited(strtoll(
		    PQgetvalue(res, i, 12), NULL, 10)));
	if (u != NULL && !PQgetisnull(res, i, 10))
		json_object_set_new(u, "requested_by", json_pack("{s:s, s:s}",
		    "name", PQgetvalue(res, i, 10), "email",
		    PQgetvalue(res, i, 11)));
	return u;
}

/* Member rows (email, name, role, last day) appended to out. */
static void
members_json(PGresult *res, json_t *out)
{
	int	 i;

	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, member_json(res, i, 0));
}

int
unit_db_list(struct req *r, const char *state, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_LIST], 1, &state,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, unit_json(res, i));
	return 1;
}

int
unit_db_list_mine(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query_last(r->db, r->a, &sqls[UNIT_LIST_MINE], 0, NULL,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, unit_json(res, i));
	return 1;
}

int
unit_db_get(struct req *r, const char *slug, json_t **out)
{
	PGresult	*res, *hist, *chg, *mem;
	json_t		*h;
	int		 rc, i;

	*out = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[UNIT_GET], 1, &slug,
	    &res)) != 1 ||
	    (rc = db_query(r->db, r->a, &sqls[UNIT_HISTORY], 1, &slug,
	    &hist)) != 1 ||
	    (rc = db_query(r->db, r->a, &sqls[UNIT_CHANGES], 1, &slug,
	    &chg)) != 1 ||
	    (rc = db_query(r->db, r->a, &sqls[UNIT_MEMBERS], 1, &slug,
	    &mem)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*out = unit_json(res, 0);
	h = json_array();
	for (i = 0; i < PQntuples(hist); i++)
		json_array_append_new(h, json_pack("{s:s, s:s, s:b, s:s?, "
		    "s:s}", "decision", PQgetvalue(hist, i, 0), "reason",
		    PQgetvalue(hist, i, 1), "automatic",
		    PQgetvalue(hist, i, 2)[0] == 't', "reason_code",
		    *PQgetvalue(hist, i, 3) ? PQgetvalue(hist, i, 3) : NULL,
		    "decided_at", PQgetvalue(hist, i, 4)));
	json_object_set_new(*out, "decisions", h);
	h = json_array();
	for (i = 0; i < PQntuples(chg); i++)
		json_array_append_new(h, json_pack("{s:s, s:s, s:s}", "field",
		    PQgetvalue(chg, i, 0), "before", PQgetvalue(chg, i, 1),
		    "after", PQgetvalue(chg, i, 2)));
	json_object_set_new(*out, "changes", h);
	h = json_array();
	members_json(mem, h);
	json_object_set_new(*out, "members", h);
	return 1;
}

int
unit_db_decide(struct req *r, const char *slug, const char *state,
    const char *decision, const char *reason, const char *code,
    const char **before,
    long long *unit, const char **req_email, const char **req_name,
    const char **name)
{
	const char	*v[5];
	PGresult	*res;
	int		 rc;

	v[0] = slug;
	v[1] = state;
	if ((rc = db_query(r->db, r->a, &sqls[UNIT_DECIDE], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*unit = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*before = arena_strdup(r->a, PQgetvalue(res, 0, 1));
	*req_email = arena_strdup(r->a, PQgetvalue(res, 0, 2));
	*req_name = arena_strdup(r->a, PQgetvalue(res, 0, 3));
	*name = arena_strdup(r->a, PQgetvalue(res, 0, 4));
	v[0] = arena_printf(r->a, "%lld", *unit);
	v[1] = decision;
	v[2] = reason;
	v[3] = PQgetvalue(res, 0, 5);
	v[4] = code;
	return db_query(r->db, r->a, &sqls[UNIT_DECISION_ADD], 5, v, &res);
}

int
unit_db_update(struct req *r, const struct unit_new *u, long long *id,
    const char **state, json_t **before, json_t **after)
{
	const char	*v[8] = { u->slug, u->name, u->kind, u->parent,
			    u->region, u->purpose, u->audience, u->channels };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_UPDATE], 8, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*state = arena_strdup(r->a, PQgetvalue(res, 0, 1));
	*before = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	*after = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	return 1;
}

int
unit_db_members(struct req *r, const char *slug, json_t *out)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[UNIT_MEMBERS], 1, &slug,
	    &res)) != 1)
		return rc;
	members_json(res, out);
	return 1;
}

int
unit_db_invite(struct req *r, const char *slug, const char *email,
    const char *role, const char *guest_until, const char *hash, int ttl,
    const char **unit_name, long long *unit)
{
	const char	*v[6] = { hash, slug, email, role, guest_until,
			    arena_printf(r->a, "%d", ttl) };
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[UNIT_INVITE], 6, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	*unit = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*unit_name = arena_strdup(r->a, PQgetvalue(res, 0, 1));
	return 1;
}

int
unit_db_accept(struct req *r, const char *hash, const char **slug,
    const char **role, long long *unit, int *other)
{
	PGresult	*res;
	int		 rc;

	*other = 0;
	if ((rc = db_query(r->db, r->a, &sqls[UNIT_ACCEPT], 1, &hash,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) == 0)
		return 0;
	if (strcmp(PQgetvalue(res, 0, 2), "joined") != 0) {
		*other = 1;
		return 0;
	}
	*slug = arena_strdup(r->a, PQgetvalue(res, 0, 0));
	*role = arena_strdup(r->a, PQgetvalue(res, 0, 1));
	*unit = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	return 1;
}
