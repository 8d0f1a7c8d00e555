/* member_db.c: statements that change, remove and find a unit's members. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
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

/* What MEMBER_SET and MEMBER_REMOVE return (see change()). */
#define MEMBER_RETURNING \
	"p.email, p.name, m.role, " MEMBER_LAST_DAY("m.expires_at") ", "

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
	    "AND p.id = m.person_id RETURNING " MEMBER_RETURNING
	    "old.role, " MEMBER_LAST_DAY("old.expires_at") ", m.unit_id, "
	    "m.person_id, m.person_id = ch_person()" },
	[MEMBER_REMOVE] = { "member_remove",
	    "DELETE FROM unit_members m USING units u, people p WHERE "
	    MEMBER_IS "RETURNING " MEMBER_RETURNING
	    "m.role, " MEMBER_LAST_DAY("m.expires_at") ", m.unit_id, "
	    "m.person_id, m.person_id = ch_person()" },
	/* Every unit has an owner: no member seen means none may be seen. */
	[MEMBER_FIND] = { "member_find",
	    "SELECT EXISTS (SELECT 1 FROM unit_members m JOIN units u "
	    "ON u.id = m.unit_id WHERE u.slug = $1), EXISTS (SELECT 1 "
	    "FROM unit_members m, units u, people p WHERE " MEMBER_IS ")" },
	/* Row-level security shows invitations to owners and hub admins. */
	[MEMBER_INVITATIONS] = { "member_invitations",
	    "SELECT i.id, i.email, i.role, " MEMBER_LAST_DAY("i.guest_until")
	    ", coalesce(p.name, ''), " ISO_UTC("i.created_at") ", "
	    ISO_UTC("i.expires_at") " FROM invitations i JOIN units u ON "
	    "u.id = i.unit_id LEFT JOIN people p ON p.id = i.invited_by "
	    "WHERE u.slug = $1 AND " INVITATION_PENDING
	    "ORDER BY i.created_at, i.id" },
	[MEMBER_REVOKE] = { "member_revoke",
	    "UPDATE invitations i SET revoked_at = now(), revoked_by = "
	    "ch_person() FROM units u WHERE u.id = i.unit_id AND u.slug = $1 "
	    "AND i.id = $2::bigint AND " INVITATION_PENDING
	    "RETURNING i.email, i.role, " MEMBER_LAST_DAY("i.guest_until")
	    ", i.unit_id" },
};

const struct db_stmts member_stmts = { sqls, NELEM(sqls) };

json_t *
member_json(const PGresult *res, int row, int col)
{
	const char	*last = PQgetvalue(res, row, col + 3);

	return json_pack("{s:s, s:s, s:s, s:s?}", "email",
	    PQgetvalue(res, row, col), "name", PQgetvalue(res, row, col + 1),
	    "role", PQgetvalue(res, row, col + 2), "expires_at",
	    *last != '\0' ? last : NULL);
}

/* {"email","role","expires_at"} of a role and last day. */
static json_t *
state_json(struct req *r, const char *email, const char *role,
    const char *last)
{
	return req_json_own(r, json_pack("{s:s, s:s, s:s?}", "email", email,
	    "role", role, "expires_at", *last != '\0' ? last : NULL));
}

/*
 * Fill c from the one row of a change: the member (columns 0-3), the
 * role and last day before (4-5), unit, person, self (6-8).  0 when the
 * statement found no row.
 */
static int
change(struct req *r, PGresult *res, int removed, struct member_change *c)
{
	const char	*email;

	memset(c, 0, sizeof(*c));
	if (PQntuples(res) != 1)
		return 0;
	email = PQgetvalue(res, 0, 0);
	c->member = req_json_own(r, member_json(res, 0, 0));
	c->before = state_json(r, email, PQgetvalue(res, 0, 4),
	    PQgetvalue(res, 0, 5));
	if (!removed)
		c->after = state_json(r, email, PQgetvalue(res, 0, 2),
		    PQgetvalue(res, 0, 3));
	c->unit = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
	c->person = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
	c->self = PQgetvalue(res, 0, 8)[0] == 't';
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
	*visible = PQgetvalue(res, 0, 0)[0] == 't';
	*found = PQgetvalue(res, 0, 1)[0] == 't';
	return 1;
}

int
member_db_invitations(struct req *r, const char *slug, json_t *out)
{
	PGresult	*res;
	int		 rc, i;

	if ((rc = db_query(r->db, r->a, &sqls[MEMBER_INVITATIONS], 1, &slug,
	    &res)) != 1)
		return rc;
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:s, s:s, s:s}", "id", (json_int_t)strtoll(PQgetvalue(res,
		    i, 0), NULL, 10), "email", PQgetvalue(res, i, 1), "role",
		    PQgetvalue(res, i, 2), "expires_at", *PQgetvalue(res, i, 3) ?
		    PQgetvalue(res, i, 3) : NULL, "invited_by", PQgetvalue(res,
		    i, 4), "invited_at", PQgetvalue(res, i, 5), "link_expires_at",
		    PQgetvalue(res, i, 6)));
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
	*before = state_json(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2));
	*unit = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	return 1;
}
