/* member_db.c: statements that change, remove and find a unit's members. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "member_db.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	MEMBER_SET,
	MEMBER_REMOVE,
	MEMBER_FIND,
	MEMBER_INVITATIONS,
	MEMBER_REVOKE,
	MEMBER__MAX
};

/* A current membership of unit $1 by the person whose address is $2. */
#define MEMBER_IS \
	"u.slug = $1 AND m.unit_id = u.id AND p.id = m.person_id " \
	"AND lower(p.email) = lower($2) " \
	"AND (m.expires_at IS NULL OR m.expires_at > now()) "

/* An invitation that can still be accepted. */
#define INVITATION_PENDING \
	"i.accepted_at IS NULL AND i.revoked_at IS NULL " \
	"AND i.expires_at > now() "

#define ISO_UTC(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_col member_c[] = {
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "expires_at", DB_TEXT, 0 },
};
const struct db_cols member_cols = DB_COLS(member_c);

/* A change: the member as now (or as was), and what change() reads. */
static const struct db_col change_c[] = {
	{ "email", DB_TEXT, 0 },
	{ "name", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "expires_at", DB_TEXT, 0 },
	{ "role_before", DB_TEXT, DB_HIDDEN },
	{ "expires_before", DB_TEXT, DB_HIDDEN },
	{ "unit_id", DB_INT, DB_HIDDEN },
	{ "person_id", DB_INT, DB_HIDDEN },
	{ "self", DB_BOOL, DB_HIDDEN },
};
static const struct db_cols change_cols = DB_COLS(change_c);

static const struct db_col find_c[] = {
	{ "visible", DB_BOOL, 0 },
	{ "found", DB_BOOL, 0 },
};
static const struct db_cols find_cols = DB_COLS(find_c);

static const struct db_col invitation_c[] = {
	{ "id", DB_INT, 0 },
	{ "email", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "expires_at", DB_TEXT, 0 },
	{ "invited_by", DB_TEXT, 0 },
	{ "invited_at", DB_TEXT, 0 },
	{ "link_expires_at", DB_TEXT, 0 },
};
static const struct db_cols invitation_cols = DB_COLS(invitation_c);

static const struct db_col revoked_c[] = {
	{ "email", DB_TEXT, 0 },
	{ "role", DB_TEXT, 0 },
	{ "expires_at", DB_TEXT, 0 },
	{ "unit_id", DB_INT, DB_HIDDEN },
};
static const struct db_cols revoked_cols = DB_COLS(revoked_c);

/* The rest of a change (see change_c), after MEMBER_COLUMNS. */
#define MEMBER_CHANGE(old) \
	", " old ".role AS role_before, nullif(" \
	MEMBER_LAST_DAY(old ".expires_at") ", '') AS expires_before, " \
	"m.unit_id AS unit_id, m.person_id AS person_id, " \
	"m.person_id = ch_person() AS self"

static const struct db_stmt sqls[MEMBER__MAX] = {
	/*
	 * The row is locked and read first so that the audit row gets the
	 * values it really had.  A last day is stored as the moment access
	 * ends: the start of the next day, UTC.
	 */
	[MEMBER_SET] = { "member_set",
	    "WITH old AS (SELECT m.unit_id, m.person_id, m.role, m.expires_at "
	    "FROM unit_members m, units u, people p WHERE " MEMBER_IS
	    "FOR UPDATE OF m) "
	    "UPDATE unit_members m SET role = $3, expires_at = CASE WHEN "
	    "$3 = 'guest' THEN (nullif($4, '')::date + 1)::timestamp "
	    "AT TIME ZONE 'UTC' END FROM old, people p "
	    "WHERE m.unit_id = old.unit_id AND m.person_id = old.person_id "
	    "AND p.id = m.person_id RETURNING " MEMBER_COLUMNS
	    MEMBER_CHANGE("old"), &change_cols },
	[MEMBER_REMOVE] = { "member_remove",
	    "DELETE FROM unit_members m USING units u, people p WHERE "
	    MEMBER_IS "RETURNING " MEMBER_COLUMNS MEMBER_CHANGE("m"),
	    &change_cols },
	/* Every unit has an owner: no member seen means none may be seen. */
	[MEMBER_FIND] = { "member_find",
	    "SELECT EXISTS (SELECT 1 FROM unit_members m JOIN units u "
	    "ON u.id = m.unit_id WHERE u.slug = $1) AS visible, EXISTS "
	    "(SELECT 1 FROM unit_members m, units u, people p WHERE "
	    MEMBER_IS ") AS found", &find_cols },
	/* Row-level security shows invitations to owners and hub admins. */
	[MEMBER_INVITATIONS] = { "member_invitations",
	    "SELECT i.id AS id, i.email AS email, i.role AS role, nullif("
	    MEMBER_LAST_DAY("i.guest_until") ", '') AS expires_at, "
	    "coalesce(p.name, '') AS invited_by, " ISO_UTC("i.created_at")
	    " AS invited_at, " ISO_UTC("i.expires_at") " AS link_expires_at "
	    "FROM invitations i JOIN units u ON "
	    "u.id = i.unit_id LEFT JOIN people p ON p.id = i.invited_by "
	    "WHERE u.slug = $1 AND " INVITATION_PENDING
	    "ORDER BY i.created_at, i.id", &invitation_cols },
	[MEMBER_REVOKE] = { "member_revoke",
	    "UPDATE invitations i SET revoked_at = now(), revoked_by = "
	    "ch_person() FROM units u WHERE u.id = i.unit_id AND u.slug = $1 "
	    "AND i.id = $2::bigint AND " INVITATION_PENDING
	    "RETURNING i.email AS email, i.role AS role, nullif("
	    MEMBER_LAST_DAY("i.guest_until") ", '') AS expires_at, "
	    "i.unit_id AS unit_id", &revoked_cols },
};

/* The trigger that keeps an owner in every unit (sql/006_members.sql). */
static const struct db_refusal set_refusals[] = {
	{ "CH409", 409, "last_owner", "role", "this is the unit's last owner: "
	  "make another member an owner first", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};
static const struct db_refusal remove_refusals[] = {
	{ "CH409", 409, "last_owner", NULL, "this is the unit's last owner: "
	  "make another member an owner first", 0 },
	{ NULL, 0, NULL, NULL, NULL, 0 }
};

/* What the statements' own refusals answer (db.h). */
static const struct db_refusal *const refusals[MEMBER__MAX] = {
	[MEMBER_SET] = set_refusals,
	[MEMBER_REMOVE] = remove_refusals,
};

const struct db_stmts member_stmts = { sqls, NELEM(sqls), refusals };

/* {"email","role","expires_at"}: a role and last day (NULL: none). */
static json_t *
state_json(struct req *r, const char *email, const char *role,
    const char *last)
{
	return req_json_own(r, json_pack("{s:s, s:s, s:s?}", "email", email,
	    "role", role, "expires_at", last));
}

/*
 * Fill c from the one row of a change (change_c).  0 when the statement
 * found no row.
 */
static int
change(struct req *r, PGresult *res, int removed, struct member_change *c)
{
	const struct db_cols	*k = &change_cols;
	const char		*email;

	memset(c, 0, sizeof(*c));
	if (PQntuples(res) != 1)
		return 0;
	email = db_get(res, 0, k, "email");
	c->member = req_json_own(r, db_row_json(res, 0, k));
	c->before = state_json(r, email, db_get(res, 0, k, "role_before"),
	    db_get(res, 0, k, "expires_before"));
	if (!removed)
		c->after = state_json(r, email, db_get(res, 0, k, "role"),
		    db_get(res, 0, k, "expires_at"));
	c->unit = db_get_int(res, 0, k, "unit_id");
	c->person = db_get_int(res, 0, k, "person_id");
	c->self = db_get_bool(res, 0, k, "self");
	return 1;
}

int
member_db_set(struct req *r, const char *slug, const char *email,
    const char *role, const char *last_day, struct member_change *c)
{
	const char	*v[4] = { slug, email, role, last_day };
	PGresult	*res;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_SET], 4, v, &res)) != 1)
		return rc;
	return change(r, res, 0, c);
}

int
member_db_remove(struct req *r, const char *slug, const char *email,
    struct member_change *c)
{
	const char	*v[2] = { slug, email };
	PGresult	*res;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_REMOVE], 2, v,
	    &res)) != 1)
		return rc;
	return change(r, res, 1, c);
}

int
member_db_find(struct req *r, const char *slug, const char *email,
    int *visible, int *found)
{
	const char	*v[2] = { slug, email };
	PGresult	*res;
	int		 rc;

	*visible = *found = 0;
	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_FIND], 2, v,
	    &res)) != 1)
		return rc;
	*visible = db_get_bool(res, 0, &find_cols, "visible");
	*found = db_get_bool(res, 0, &find_cols, "found");
	return 1;
}

int
member_db_invitations(struct req *r, const char *slug, json_t *out)
{
	PGresult	*res;
	int		 rc;

	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_INVITATIONS], 1, &slug,
	    &res)) != 1)
		return rc;
	db_rows_json(res, &invitation_cols, out);
	return 1;
}

int
member_db_revoke(struct req *r, const char *slug, const char *id,
    json_t **before, long long *unit)
{
	const char	*v[2] = { slug, id };
	PGresult	*res;
	int		 rc;

	*before = NULL;
	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_REVOKE], 2, v,
	    &res)) != 1)
		return rc;
	if (PQntuples(res) != 1)
		return 0;
	*before = state_json(r, db_get(res, 0, &revoked_cols, "email"),
	    db_get(res, 0, &revoked_cols, "role"),
	    db_get(res, 0, &revoked_cols, "expires_at"));
	*unit = db_get_int(res, 0, &revoked_cols, "unit_id");
	return 1;
}
