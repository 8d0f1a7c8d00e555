/* unit_db.c: statements of units, their members and decisions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
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
	UNIT_LIST_PUBLIC,
	UNIT_GET,
	UNIT_GET_PUBLIC,
	UNIT_GET_PAGE,
	UNIT_SCOPE,
	UNIT_STAMP,
	UNIT_DECIDE,
	UNIT_DECISION_ADD,
	UNIT_UPDATE,
	UNIT_MEMBERS,
	UNIT_INVITE,
	UNIT_ACCEPT,
	UNIT__MAX
};

/*
 * A unit as the API shows it: unit_c names UNIT_COLS.  The requester is
 * shown to hub members and to the requester only; "waiting" is added
 * from waiting_seconds (unit_json()).  UNIT_BASE_COLS are the columns up
 * to the screening answers; a list adds UNIT_LIST_TAIL, a unit's page
 * UNIT_PAGE_TAIL.
 */
#define UNIT_SHOWN_COLS \
	"u.slug, u.name, u.kind, pu.slug AS parent, " \
	"nullif(u.region, '') AS region, u.purpose, u.audience, " \
	"coalesce(array_to_json(u.channels), '[]')::text AS channels, " \
	"u.state, to_char(u.created_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
#define UNIT_BASE_COLS \
	UNIT_SHOWN_COLS \
	"CASE WHEN ch_hub_any() OR u.requested_by = ch_person() " \
	"THEN json_build_object('name', rp.name, 'email', rp.email)::text " \
	"END AS requested_by, " \
	"floor(extract(epoch FROM now() - u.updated_at))::bigint " \
	"AS waiting_seconds, " \
	"coalesce(u.requested_by = ch_person(), false) AS mine, " \
	"coalesce((SELECT m.role FROM unit_members m WHERE m.unit_id = u.id " \
	"AND m.person_id = ch_person()), '') AS my_role, " \
	"coalesce((SELECT json_agg(json_build_object('id', q.id, " \
	"'question', q.prompt, 'answer', a.answer) ORDER BY q.id) " \
	"FROM unit_answers a JOIN screening_questions q " \
	"ON q.id = a.question_id WHERE a.unit_id = u.id), '[]')::text " \
	"AS answers, "

/*
 * In a list, whether the caller may decide a unit is ch_may_decide()
 * written out, so that the delegated units are asked once per statement,
 * not once per row.
 */
#define UNIT_COLS \
	UNIT_BASE_COLS "coalesce(ch_hub_role('admin') OR " \
	"(ch_person() IS NOT NULL AND u.id = ANY ((SELECT " \
	"ch_delegated_unit_ids())::bigint[])), false) AS can_decide, " \
	"(SELECT d.reason FROM unit_decisions d WHERE d.unit_id = u.id " \
	"ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS last_reason "
#define UNIT_FROM \
	"FROM units u LEFT JOIN units pu ON pu.id = u.parent_id " \
	"JOIN people rp ON rp.id = u.requested_by "

/*
 * A unit's page, in one statement: UNIT_COLS and, as JSON arrays, its
 * decisions, what changed since the last one (field, before, after) and
 * its current members as MEMBER_COLUMNS shows them.  Every subquery is a
 * plan node PostgreSQL starts on each execution, with the policies of
 * the table it reads, so each table is read once where it can be: the
 * decisions once (UNIT_PAGE_FROM: the list, the last reason and the last
 * snapshot), the caller's own memberships once (UNIT_PAGE_FROM's "me":
 * their role in this unit and whether they own its parent, from one
 * index scan of at most two rows), the unit's JSON once.  Whether the
 * caller may decide this one unit is asked of those rows directly
 * (ch_delegated_unit_ids() for one row: the parent is approved, the
 * caller owns it and not this unit, did not request it, and the policy
 * delegates) instead of by a definer function.
 */
#define UNIT_PAGE_HEAD \
	UNIT_SHOWN_COLS \
	"CASE WHEN ch_hub_any() OR u.requested_by = ch_person() " \
	"THEN json_build_object('name', rp.name, 'email', rp.email)::text " \
	"END AS requested_by, " \
	"floor(extract(epoch FROM now() - u.updated_at))::bigint " \
	"AS waiting_seconds, " \
	"coalesce(u.requested_by = ch_person(), false) AS mine, " \
	"coalesce(me.role, '') AS my_role, " \
	"coalesce((SELECT json_agg(json_build_object('id', q.id, " \
	"'question', q.prompt, 'answer', a.answer) ORDER BY q.id) " \
	"FROM unit_answers a JOIN screening_questions q " \
	"ON q.id = a.question_id WHERE a.unit_id = u.id), '[]')::text " \
	"AS answers, "
#define UNIT_PAGE_COLS \
	UNIT_PAGE_HEAD "coalesce(ch_hub_role('admin') OR " \
	"(ch_person() IS NOT NULL AND pu.state = 'approved' " \
	"AND u.id <> pu.id AND u.requested_by <> ch_person() " \
	"AND me.owns_parent AND me.role IS DISTINCT FROM 'owner' " \
	"AND (SELECT a.delegate FROM approval_policy a)), false) " \
	"AS can_decide, dd.last_reason, coalesce(dd.decisions, '[]') " \
	"AS decisions, coalesce((SELECT json_agg(json_build_object(" \
	"'field', f.k, 'before', coalesce(dd.snapshot->>f.k, ''), " \
	"'after', coalesce(uj.j->>f.k, '')) ORDER BY f.n) " \
	"FROM unnest(ARRAY['name', 'kind', 'parent_id', 'region', " \
	"'purpose', 'audience', 'channels']) WITH ORDINALITY AS f(k, n) " \
	"WHERE dd.n > 0 AND dd.snapshot->f.k IS DISTINCT FROM uj.j->f.k), " \
	"'[]')::text AS changes, coalesce((SELECT json_agg(" \
	"json_build_object('email', p.email, 'name', p.name, 'role', " \
	"m.role, 'expires_at', nullif(" MEMBER_LAST_DAY("m.expires_at") \
	", '')) ORDER BY array_position(ARRAY['owner', 'editor', 'author', " \
	"'guest'], m.role), p.name) FROM unit_members m JOIN people p " \
	"ON p.id = m.person_id WHERE m.unit_id = u.id AND (m.expires_at " \
	"IS NULL OR m.expires_at > now())), '[]')::text AS members "
#define UNIT_PAGE_FROM \
	UNIT_FROM "CROSS JOIN LATERAL (SELECT max(m.role) FILTER (WHERE " \
	"m.unit_id = u.id) AS role, coalesce(bool_or(m.unit_id = pu.id " \
	"AND m.role = 'owner'), false) AS owns_parent FROM unit_members m " \
	"WHERE m.unit_id IN (u.id, pu.id) AND m.person_id = ch_person()) me " \
	"CROSS JOIN LATERAL (SELECT to_jsonb(u.*) AS j OFFSET 0) " \
	"uj CROSS JOIN LATERAL (SELECT count(*) AS n, " \
	"json_agg(json_build_object('decision', d.decision, 'reason', " \
	"coalesce(d.reason, ''), 'automatic', d.automatic, 'reason_code', " \
	"nullif(d.reason_code, ''), 'decided_at', " \
	"to_char(d.decided_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY d.decided_at, d.id)" \
	"::text AS decisions, (array_agg(d.reason ORDER BY d.decided_at " \
	"DESC, d.id DESC))[1] AS last_reason, (array_agg(d.snapshot " \
	"ORDER BY d.decided_at DESC, d.id DESC))[1] AS snapshot " \
	"FROM unit_decisions d WHERE d.unit_id = u.id) dd "

/*
 * The page as /units/{slug} shows it adds the unit's pending invitations
 * (the columns of member_db_invitations()), asked only of its owners and
 * the hub's admins, whom the invitations' policy shows them to: one
 * statement and one round trip fewer than reading them after the unit.
 */
#define UNIT_PAGE_INVITATIONS \
	", CASE WHEN me.role = 'owner' OR ch_hub_role('admin') THEN " \
	"coalesce((SELECT json_agg(json_build_object('id', i.id, 'email', " \
	"i.email, 'role', i.role, 'expires_at', nullif(" \
	MEMBER_LAST_DAY("i.guest_until") ", ''), 'invited_by', " \
	"coalesce(ip.name, ''), 'invited_at', " UNIT_ISO_UTC("i.created_at") \
	", 'link_expires_at', " UNIT_ISO_UTC("i.expires_at") ") ORDER BY " \
	"i.created_at, i.id) FROM invitations i LEFT JOIN people ip " \
	"ON ip.id = i.invited_by WHERE i.unit_id = u.id " \
	"AND i.accepted_at IS NULL AND i.revoked_at IS NULL " \
	"AND i.expires_at > now()), '[]') ELSE '[]' END::text " \
	"AS invitations "
/*
 * The page's counters, read in the page's own statement (one snapshot):
 * the stamp under which a worker may keep the page it renders
 * (page_mem.h).
 */
#define UNIT_PAGE_STAMP \
	", (SELECT s.stamp || '.' || g.stamp FROM page_stamps s " \
	"JOIN page_stamps g ON g.unit_id = 0 WHERE s.unit_id = u.id) " \
	"AS stamp "
#define UNIT_ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/*
 * A unit as an anonymous caller sees it, with the columns of UNIT_COLS:
 * what the policies let nobody see is constant (no requester, role,
 * answers, decisions or members), and only units (approved ones, their
 * public columns) is read.  Run as chapterhouse_anon (db_public_row()),
 * whose one policy is the public one (sql/025_rls_roles.sql), so the
 * plan carries none of the members' checks.
 */
#define UNIT_PUBLIC_COLS \
	UNIT_SHOWN_COLS "NULL::text AS requested_by, " \
	"floor(extract(epoch FROM now() - u.updated_at))::bigint " \
	"AS waiting_seconds, false AS mine, ''::text AS my_role, " \
	"'[]'::text AS answers, false AS can_decide, " \
	"NULL::text AS last_reason "
#define UNIT_PUBLIC_FROM \
	"FROM units u LEFT JOIN units pu ON pu.id = u.parent_id "

#define UNIT_C \
	{ "slug", DB_TEXT, 0 }, \
	{ "name", DB_TEXT, 0 }, \
	{ "kind", DB_TEXT, 0 }, \
	{ "parent", DB_TEXT, 0 }, \
	{ "region", DB_TEXT, 0 }, \
	{ "purpose", DB_TEXT, 0 }, \
	{ "audience", DB_TEXT, 0 }, \
	{ "channels", DB_JSON, 0 }, \
	{ "state", DB_TEXT, 0 }, \
	{ "created_at", DB_TEXT, 0 }, \
	{ "requested_by", DB_JSON, DB_OMIT_NULL }, \
	{ "waiting_seconds", DB_INT, 0 }, \
	{ "mine", DB_BOOL, 0 }, \
	{ "my_role", DB_TEXT, 0 }, \
	{ "answers", DB_JSON, 0 }, \
	{ "can_decide", DB_BOOL, 0 }, \
	{ "last_reason", DB_TEXT, DB_OMIT_NULL }

static const struct db_col unit_c[] = {
	UNIT_C
};
static const struct db_cols unit_cols = DB_COLS(unit_c);

static const struct db_col page_c[] = {
	UNIT_C,
	{ "decisions", DB_JSON, 0 },
	{ "changes", DB_JSON, 0 },
	{ "members", DB_JSON, 0 },
};
static const struct db_cols page_cols = DB_COLS(page_c);

static const struct db_col page_inv_c[] = {
	UNIT_C,
	{ "decisions", DB_JSON, 0 },
	{ "changes", DB_JSON, 0 },
	{ "members", DB_JSON, 0 },
	{ "invitations", DB_JSON, 0 },
	{ "stamp", DB_TEXT, DB_OMIT_NULL },
};
static const struct db_cols page_inv_cols = DB_COLS(page_inv_c);

static const struct db_col stamp_c[] = {
	{ "stamp", DB_TEXT, 0 },
};
static const struct db_cols stamp_cols = DB_COLS(stamp_c);

static const struct db_col scope_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "my_role", DB_TEXT, 0 },
};
static const struct db_cols scope_cols = DB_COLS(scope_c);

static const struct db_col mine_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
};
static const struct db_cols mine_cols = DB_COLS(mine_c);

static const struct db_col state_c[] = {
	{ "state", DB_TEXT, 0 },
};
static const struct db_cols state_cols = DB_COLS(state_c);

static const struct db_col id_c[] = {
	{ "id", DB_INT, 0 },
};
static const struct db_cols id_cols = DB_COLS(id_c);

static const struct db_col decide_c[] = {
	{ "id", DB_INT, 0 },
	{ "before", DB_TEXT, 0 },
	{ "requester_email", DB_TEXT, 0 },
	{ "requester_name", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "snapshot", DB_JSON, 0 },
};
static const struct db_cols decide_cols = DB_COLS(decide_c);

static const struct db_col update_c[] = {
	{ "id", DB_INT, 0 },
	{ "state", DB_TEXT, 0 },
	{ "before", DB_JSON, 0 },
	{ "after", DB_JSON, 0 },
};
static const struct db_cols update_cols = DB_COLS(update_c);

static const struct db_col invite_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "unit_name", DB_TEXT, 0 },
};
static const struct db_cols invite_cols = DB_COLS(invite_c);

static const struct db_col accept_c[] = {
	{ "slug", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "outcome", DB_TEXT, 0 },
	{ "unit_id", DB_INT, 0 },
};
static const struct db_cols accept_cols = DB_COLS(accept_c);

static const struct db_stmt sqls[UNIT__MAX] = {
	/* Who "I" am comes from the transaction, as for every policy. */
	[UNIT_MINE] = { "unit_mine",
	    "SELECT u.slug, u.name, u.state, m.role FROM unit_members m "
	    "JOIN units u ON u.id = m.unit_id WHERE m.person_id = ch_person() "
	    "AND (m.expires_at IS NULL OR m.expires_at > now()) "
	    "ORDER BY u.name, u.slug", &mine_cols },
	[UNIT_EXISTS] = { "unit_exists",
	    "SELECT 1 FROM units WHERE slug = $1", NULL },
	[UNIT_STATE] = { "unit_state",
	    "SELECT state FROM units WHERE slug = $1", &state_cols },
	[UNIT_CREATE] = { "unit_create",
	    "INSERT INTO units (slug, name, kind, parent_id, region, purpose, "
	    "audience, channels, requested_by) VALUES ($1, $2, $3, "
	    "(SELECT id FROM units WHERE slug = nullif($4, '')), "
	    "nullif($5, ''), $6, $7, $8::text[], ch_person()) RETURNING id",
	    &id_cols },
	[UNIT_OWNER] = { "unit_owner",
	    "INSERT INTO unit_members (unit_id, person_id, role) "
	    "VALUES ($1, ch_person(), 'owner')", NULL },
	[UNIT_LIST] = { "unit_list",
	    "SELECT " UNIT_COLS UNIT_FROM
	    "WHERE ($1 = '' OR u.state = $1) "
	    "ORDER BY u.created_at, u.id LIMIT 1000", &unit_cols },
	[UNIT_LIST_MINE] = { "unit_list_mine",
	    "SELECT " UNIT_COLS UNIT_FROM
	    "WHERE u.requested_by = ch_person() OR u.id IN "
	    "(SELECT ch_my_units()) ORDER BY u.name, u.id", &unit_cols },
	[UNIT_LIST_PUBLIC] = { "unit_list_public",
	    "SELECT " UNIT_PUBLIC_COLS UNIT_PUBLIC_FROM
	    "WHERE ($1 = '' OR u.state = $1) "
	    "ORDER BY u.created_at, u.id LIMIT 1000", &unit_cols },
	[UNIT_GET] = { "unit_get",
	    "SELECT " UNIT_PAGE_COLS UNIT_PAGE_FROM "WHERE u.slug = $1",
	    &page_cols },
	[UNIT_GET_PUBLIC] = { "unit_get_public",
	    "SELECT " UNIT_PUBLIC_COLS ", '[]'::text AS decisions, "
	    "'[]'::text AS changes, '[]'::text AS members "
	    UNIT_PUBLIC_FROM "WHERE u.slug = $1", &page_cols },
	[UNIT_GET_PAGE] = { "unit_page",
	    "SELECT " UNIT_PAGE_COLS UNIT_PAGE_INVITATIONS UNIT_PAGE_STAMP
	    UNIT_PAGE_FROM "WHERE u.slug = $1", &page_inv_cols },
	/*
	 * The counters a worker's kept page was built from (page_mem.h,
	 * 049_page_stamps.sql): a row for a unit the caller can see.
	 */
	[UNIT_STAMP] = { "unit_stamp",
	    "SELECT s.stamp || '.' || g.stamp AS stamp FROM units u "
	    "JOIN page_stamps s ON s.unit_id = u.id "
	    "JOIN page_stamps g ON g.unit_id = 0 WHERE u.slug = $1",
	    &stamp_cols },
	/* my_role exactly as UNIT_COLS has it. */
	[UNIT_SCOPE] = { "unit_scope",
	    "SELECT u.slug, u.name, u.state, coalesce((SELECT m.role "
	    "FROM unit_members m WHERE m.unit_id = u.id "
	    "AND m.person_id = ch_person()), '') AS my_role "
	    "FROM units u WHERE u.slug = $1", &scope_cols },
	/* The row lock makes concurrent decisions on one unit wait. */
	[UNIT_DECIDE] = { "unit_decide",
	    "WITH old AS (SELECT id, state FROM units WHERE slug = $1 "
	    "FOR UPDATE) UPDATE units u SET state = $2 FROM old, people p "
	    "WHERE u.id = old.id AND p.id = u.requested_by AND old.state <> $2 "
	    "RETURNING u.id, old.state AS before, p.email AS requester_email, "
	    "p.name AS requester_name, u.name, to_jsonb(u.*)::text AS snapshot",
	    &decide_cols },
	[UNIT_DECISION_ADD] = { "unit_decision_add",
	    "INSERT INTO unit_decisions (unit_id, decision, reason, "
	    "reason_code, decided_by, snapshot) VALUES ($1, $2, "
	    "nullif($3, ''), nullif($5, ''), ch_person(), $4::jsonb)", NULL },
	/* The moves themselves are checked by the units_check_move trigger. */
	[UNIT_UPDATE] = { "unit_update",
	    "WITH old AS (SELECT id, state, to_jsonb(units.*) AS j FROM units "
	    "WHERE slug = $1 FOR UPDATE) UPDATE units u SET name = $2, "
	    "kind = $3, parent_id = (SELECT id FROM units WHERE slug = "
	    "nullif($4, '')), region = nullif($5, ''), purpose = $6, "
	    "audience = $7, channels = $8::text[], state = CASE WHEN "
	    "old.state = 'changes_requested' THEN 'requested' ELSE old.state "
	    "END FROM old WHERE u.id = old.id AND old.state IN ('requested', "
	    "'changes_requested') RETURNING u.id, u.state, old.j::text AS "
	    "before, to_jsonb(u.*)::text AS after", &update_cols },
	[UNIT_MEMBERS] = { "unit_members",
	    "SELECT " MEMBER_COLUMNS " FROM unit_members m "
	    "JOIN units u ON u.id = m.unit_id JOIN people p ON "
	    "p.id = m.person_id WHERE u.slug = $1 AND (m.expires_at IS NULL "
	    "OR m.expires_at > now()) ORDER BY array_position(ARRAY['owner', "
	    "'editor', 'author', 'guest'], m.role), p.name", &member_cols },
	[UNIT_INVITE] = { "unit_invite",
	    "INSERT INTO invitations (token_hash, unit_id, email, role, "
	    "guest_until, invited_by, expires_at) SELECT $1::bytea, u.id, $3, "
	    "$4, (nullif($5, '')::date + 1)::timestamp AT TIME ZONE 'UTC', "
	    "ch_person(), now() + "
	    "make_interval(secs => $6::int) FROM units u WHERE u.slug = $2 "
	    "RETURNING unit_id, (SELECT name FROM units WHERE id = unit_id) "
	    "AS unit_name", &invite_cols },
	[UNIT_ACCEPT] = { "unit_accept",
	    "SELECT slug, role, outcome, unit_id "
	    "FROM ch_accept_invitation($1::bytea)", &accept_cols },
};

const char unit_db_not_waiting[] = "a request can only be edited while it "
    "waits for a decision or for changes";

/* A parent the units_parent trigger refuses (sql/010_unit_guards.sql). */
#define PARENT_REFUSED \
	{ "CH422", 422, "invalid", "parent", "the parent must be another " \
	  "approved unit, not one of this unit's own units", 0 }

static const struct db_refusal create_refusals[] = {
	{ "23505", 409, "taken", "slug", "this address is taken; choose "
	  "another", 0 },
	PARENT_REFUSED,
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

static const struct db_refusal update_refusals[] = {
	PARENT_REFUSED,
	{ "CH409", 409, "parent_locked", "parent", "the parent cannot change "
	  "while the request waits for a decision", 0 },
	/* Taken over since it was read: no longer the caller's to edit. */
	{ "42501", 409, "illegal_transition", NULL, unit_db_not_waiting, 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* A delegated approver's decision the units trigger refuses. */
static const struct db_refusal decide_refusals[] = {
	{ "42501", 403, "forbidden", "decision", "only the hub's approvers "
	  "decide this request", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* The invitation triggers: one pending per address, and rate limits. */
static const struct db_refusal invite_refusals[] = {
	{ "42501", 403, "forbidden", NULL, "only the unit's owners invite "
	  "members", 0 },
	{ "CH409", 409, "already_invited", "email", "this address already has "
	  "a pending invitation to the unit: revoke it first to send a new "
	  "one", 0 },
	{ "CH429", 429, "too_many_invitations", "email", "too many "
	  "invitations: an address receives at most 3 a day and a person "
	  "sends at most 50 an hour; try again later", 3600 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[UNIT__MAX] = {
	[UNIT_CREATE] = create_refusals,
	[UNIT_UPDATE] = update_refusals,
	[UNIT_DECIDE] = decide_refusals,
	[UNIT_DECISION_ADD] = decide_refusals,
	[UNIT_INVITE] = invite_refusals,
};

const struct db_stmts unit_stmts = { sqls, NELEM(sqls), refusals };

int
unit_db_mine(struct req *r, json_t *out)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_last(r->db, r->a, &sqls[UNIT_MINE], 0, NULL,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &mine_cols, out);
	return 1;
}

void
unit_db_mine_prefetch(struct req *r)
{
	db_prefetch(r->db, &sqls[UNIT_MINE], 0, NULL, 1);
}

void
unit_db_prefetch(struct req *r, const char *slug, enum unit_load what,
    int last)
{
	static const int	 stmt[] = {
		[UNIT_LOAD_GET] = UNIT_GET,
		[UNIT_LOAD_PAGE] = UNIT_GET_PAGE,
		[UNIT_LOAD_SCOPE] = UNIT_SCOPE,
	};

	db_prefetch(r->db, &sqls[stmt[what]], 1, &slug, last);
}

void
unit_db_stamp_prefetch(struct req *r, const char *slug)
{
	db_prefetch(r->db, &sqls[UNIT_STAMP], 1, &slug, 1);
}

int
unit_db_stamp(struct req *r, const char *slug, const char **stamp)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_STAMP], 1, &slug,
	    &res)) != 1)
		return rc;
	*stamp = arena_strdup(r->a, db_get(res, 0, &stamp_cols, "stamp"));
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

	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_STATE], 1, &slug,
	    &res)) != 1)
		return rc;
	*state = arena_strdup(r->a, db_get(res, 0, &state_cols, "state"));
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
	*id = db_get_int(res, 0, &id_cols, "id");
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

/* Row i of a unit statement as a new object. */
static json_t *
unit_json(PGresult *res, int i)
{
	json_t	*u = db_row_json(res, i, &unit_cols);

	json_object_set_new(u, "waiting", waited(db_get_int(res, i,
	    &unit_cols, "waiting_seconds")));
	return u;
}

int
unit_db_list(struct req *r, const char *state, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = r->sess == NULL ? db_public_row(r->db, r->a,
	    &sqls[UNIT_LIST_PUBLIC], 1, &state, &res) : db_query(r->db, r->a,
	    &sqls[UNIT_LIST], 1, &state, &res)) < 0)
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

/* The unit page of slug by statement i (columns cols) into *out. */
static int
page(struct req *r, const char *slug, int i, const struct db_cols *cols,
    json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = r->sess == NULL ? db_public_row(r->db, r->a,
	    &sqls[UNIT_GET_PUBLIC], 1, &slug, &res) : db_query_row(r->db,
	    r->a, &sqls[i], 1, &slug, &res)) != 1)
		return rc;
	if (r->sess == NULL)
		cols = &page_cols;
	*out = req_json_own(r, db_row_json(res, 0, cols));
	json_object_set_new(*out, "waiting", waited(db_get_int(res, 0,
	    cols, "waiting_seconds")));
	return 1;
}

int
unit_db_get(struct req *r, const char *slug, json_t **out)
{
	return page(r, slug, UNIT_GET, &page_cols, out);
}

int
unit_db_page(struct req *r, const char *slug, json_t **out)
{
	return page(r, slug, UNIT_GET_PAGE, &page_inv_cols, out);
}

int
unit_db_scope(struct req *r, const char *slug, json_t **out)
{
	PGresult	*res;
	int		 rc;

	*out = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_SCOPE], 1, &slug,
	    &res)) != 1)
		return rc;
	*out = req_json_own(r, db_row_json(res, 0, &scope_cols));
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
	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_DECIDE], 2, v,
	    &res)) != 1)
		return rc;
	*unit = db_get_int(res, 0, &decide_cols, "id");
	*before = arena_strdup(r->a, db_get(res, 0, &decide_cols, "before"));
	*req_email = arena_strdup(r->a, db_get(res, 0, &decide_cols,
	    "requester_email"));
	*req_name = arena_strdup(r->a, db_get(res, 0, &decide_cols,
	    "requester_name"));
	*name = arena_strdup(r->a, db_get(res, 0, &decide_cols, "name"));
	v[0] = arena_printf(r->a, "%lld", *unit);
	v[1] = decision;
	v[2] = reason;
	v[3] = db_get(res, 0, &decide_cols, "snapshot");
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

	*before = *after = NULL;
	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_UPDATE], 8, v,
	    &res)) != 1)
		return rc;
	*id = db_get_int(res, 0, &update_cols, "id");
	*state = arena_strdup(r->a, db_get(res, 0, &update_cols, "state"));
	*before = req_json_own(r, db_get_json(res, 0, &update_cols, "before"));
	*after = req_json_own(r, db_get_json(res, 0, &update_cols, "after"));
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
	db_rows_json(res, &member_cols, out);
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

	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_INVITE], 6, v,
	    &res)) != 1)
		return rc;
	*unit = db_get_int(res, 0, &invite_cols, "unit_id");
	*unit_name = arena_strdup(r->a, db_get(res, 0, &invite_cols,
	    "unit_name"));
	return 1;
}

int
unit_db_accept(struct req *r, const char *hash, const char **slug,
    const char **role, long long *unit, int *other)
{
	const char	*outcome;
	PGresult	*res;
	int		 rc;

	*other = 0;
	if ((rc = db_query_row(r->db, r->a, &sqls[UNIT_ACCEPT], 1, &hash,
	    &res)) != 1)
		return rc;
	outcome = db_get(res, 0, &accept_cols, "outcome");
	if (outcome == NULL || strcmp(outcome, "joined") != 0) {
		*other = 1;
		return 0;
	}
	*slug = arena_strdup(r->a, db_get(res, 0, &accept_cols, "slug"));
	*role = arena_strdup(r->a, db_get(res, 0, &accept_cols, "role"));
	*unit = db_get_int(res, 0, &accept_cols, "unit_id");
	return 1;
}
