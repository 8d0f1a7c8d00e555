/*
 * findings_db.c: statements of the guideline checks of every save: the
 * revision and the rules to run, recording what they found
 * (ch_guide_record(), sql/036_guide_notes.sql), what the editor shows,
 * and dismissing a note.
 */
#include "config.h"

#include <stdio.h>

#include "arena.h"
#include "db.h"
#include "dbrow.h"
#include "findings_db.h"
#include "guide_save.h"
#include "req.h"
#include "stmts.h"
#include "util.h"

enum {
	FINDINGS_LOAD,
	FINDINGS_APPLY,
	FINDINGS_EDITOR,
	FINDINGS_DISMISS,
	FINDINGS__MAX
};

/* Today's quiet period (fields f) is running. */
#define QUIET_NOW(f) \
	"(now() AT TIME ZONE 'UTC')::date BETWEEN (" f "->>'starts')::date " \
	"AND (" f "->>'ends')::date"

/* A hub quiet period h targets unit n: all units, its region, or it. */
#define QUIET_TARGETS(h) \
	"((" h ".fields->'units' = '[]' AND " h ".fields->'regions' = '[]') " \
	"OR " h ".fields->'units' ? n.slug OR " h ".fields->'regions' ? " \
	"n.region)"

static const struct db_col load_c[] = {
	{ "unit_id", DB_INT, 0 },
	{ "title", DB_TEXT, 0 },
	{ "body", DB_TEXT, 0 },
	{ "tags", DB_JSON, 0 },
	{ "channels", DB_JSON, 0 },
	{ "rules", DB_JSON, 0 },
	{ "has_open", DB_BOOL, 0 },
};
static const struct db_cols load_cols = DB_COLS(load_c);

static const struct db_col apply_c[] = {
	{ "suggestions", DB_JSON, 0 },
	{ "notes", DB_JSON, 0 },
};
static const struct db_cols apply_cols = DB_COLS(apply_c);

static const struct db_col editor_c[] = {
	{ "notices", DB_JSON, 0 },
	{ "findings", DB_JSON, 0 },
};
static const struct db_cols editor_cols = DB_COLS(editor_c);

static const struct db_col dismiss_c[] = {
	{ "seen", DB_BOOL, 0 },
	{ "was", DB_TEXT, 0 },
	{ "note", DB_JSON, 0 },
};
static const struct db_cols dismiss_cols = DB_COLS(dismiss_c);

/* A note g as the save shows it ({"link"} from the rule k). */
#define NOTE_JSON(g, k) \
	"json_build_object('id', " g ".id, 'post', " g ".post_id, " \
	"'revision', " g ".revision, 'rule', " g ".rule_id, 'field', " \
	g ".field, 'original', " g ".original, 'replacement', " \
	g ".replacement, 'message', " g ".message, 'link', " k ".link, " \
	"'state', " g ".state)"

static const struct db_stmt sqls[FINDINGS__MAX] = {
	/*
	 * Revision $2 of post $1 as the acting person reads it, and the
	 * rules of its unit: muted hub rules too (they are counted), no
	 * link rules.
	 */
	[FINDINGS_LOAD] = { "findings_load",
	    "WITH v AS (SELECT t.unit_id, t.title, t.body, t.tags, "
	    "t.channels FROM posts p JOIN post_revisions t "
	    "ON t.unit_id = p.unit_id AND t.post_id = p.id "
	    "AND t.number = $2::int WHERE p.id = $1::bigint), "
	    "n AS (SELECT u.id, u.slug, u.region FROM units u "
	    "JOIN v ON u.id = v.unit_id), "
	    "r AS (SELECT h.id, h.kind, h.fields, h.message "
	    "FROM guide_hub_rules h, n WHERE h.enabled AND h.kind <> 'links' "
	    "AND (h.kind <> 'quiet' OR (" QUIET_NOW("h.fields") " AND "
	    QUIET_TARGETS("h") ")) "
	    "UNION ALL SELECT l.id, l.kind, l.fields, l.message "
	    "FROM guide_unit_rules l JOIN n ON l.unit_id = n.id "
	    "WHERE l.enabled AND l.kind <> 'links' AND (l.kind <> 'quiet' "
	    "OR " QUIET_NOW("l.fields") ")) "
	    "SELECT v.unit_id, v.title, v.body, "
	    "array_to_json(v.tags)::text AS tags, "
	    "array_to_json(v.channels)::text AS channels, "
	    "coalesce((SELECT json_agg(json_build_object('id', r.id, "
	    "'kind', r.kind, 'fields', r.fields, 'message', r.message) "
	    "ORDER BY r.id) FROM r), '[]')::text AS rules, "
	    "(EXISTS (SELECT 1 FROM post_suggestions s "
	    "WHERE s.unit_id = v.unit_id AND s.post_id = $1::bigint "
	    "AND s.state = 'open' AND s.source = 'guidelines') OR "
	    "EXISTS (SELECT 1 FROM guide_notes g WHERE g.unit_id = v.unit_id "
	    "AND g.post_id = $1::bigint AND g.state = 'open')) AS has_open "
	    "FROM v", &load_cols },
	[FINDINGS_APPLY] = { "findings_apply",
	    "SELECT (x->'suggestions')::text AS suggestions, "
	    "(x->'notes')::text AS notes FROM ch_guide_record($1::bigint, "
	    "$2::bigint, $3::int, $4::jsonb) AS x", &apply_cols },
	/* The unit of $1, or of post $2 when $1 is empty. */
	[FINDINGS_EDITOR] = { "findings_editor",
	    "WITH n AS (SELECT u.id, u.slug, u.region FROM units u "
	    "WHERE u.slug = $1 OR ($1 = '' AND u.id = (SELECT p.unit_id "
	    "FROM posts p WHERE p.id = nullif($2, '')::bigint))), "
	    "q AS (SELECT h.message, h.link, h.fields FROM guide_hub_rules h, "
	    "n WHERE h.enabled AND h.kind = 'quiet' AND " QUIET_NOW("h.fields")
	    " AND " QUIET_TARGETS("h") " AND NOT EXISTS (SELECT 1 "
	    "FROM guide_mutes m WHERE m.unit_id = n.id AND m.rule_id = h.id) "
	    "UNION ALL SELECT l.message, l.link, l.fields "
	    "FROM guide_unit_rules l JOIN n ON l.unit_id = n.id "
	    "WHERE l.enabled AND l.kind = 'quiet' AND " QUIET_NOW("l.fields")
	    ") SELECT coalesce((SELECT json_agg(json_build_object('message', "
	    "q.message, 'link', q.link, 'ends', q.fields->>'ends') "
	    "ORDER BY q.fields->>'ends', q.message) FROM q), '[]')::text "
	    "AS notices, coalesce((SELECT json_agg(json_build_object("
	    "'id', s.id, 'rule', s.rule_id, 'start', s.span_start, "
	    "'end', s.span_end, 'original', substr(t.body, s.span_start + 1, "
	    "s.span_end - s.span_start), 'replacement', s.replacement, "
	    "'comment', s.comment, 'link', g.link, 'advice', "
	    "s.replacement = substr(t.body, s.span_start + 1, "
	    "s.span_end - s.span_start)) ORDER BY s.span_start, s.id) "
	    "FROM post_suggestions s JOIN n ON s.unit_id = n.id "
	    "JOIN post_revisions t ON t.unit_id = s.unit_id "
	    "AND t.post_id = s.post_id AND t.number = s.revision "
	    "LEFT JOIN guide_rule_links g ON g.id = s.rule_id "
	    "WHERE s.post_id = nullif($2, '')::bigint "
	    "AND s.source = 'guidelines' AND s.state = 'open'), "
	    "'[]')::text AS findings", &editor_cols },
	/*
	 * Note $1, dismissed by the acting person when its writers' policy
	 * lets them; seen and was say why not otherwise.
	 */
	[FINDINGS_DISMISS] = { "findings_dismiss",
	    "WITH n AS (SELECT g.unit_id, g.id, g.state FROM guide_notes g "
	    "WHERE g.id = $1::bigint), "
	    "d AS (UPDATE guide_notes g SET state = 'declined', "
	    "decided_by = ch_person() FROM n WHERE g.unit_id = n.unit_id "
	    "AND g.id = n.id AND g.state = 'open' RETURNING g.*) "
	    "SELECT EXISTS (SELECT 1 FROM n) AS seen, "
	    "coalesce((SELECT n.state FROM n), '') AS was, "
	    "(SELECT " NOTE_JSON("d", "k") " FROM d "
	    "LEFT JOIN guide_rule_links k ON k.id = d.rule_id)::text AS note",
	    &dismiss_cols },
};

const struct db_stmts findings_stmts = { sqls, NELEM(sqls), NULL };

int
findings_db_load(struct req *r, long long id, long long rev,
    struct findings_rev *out)
{
	const char	*v[2];
	PGresult	*res;
	int		 rc;

	v[0] = arena_printf(r->a, "%lld", id);
	v[1] = arena_printf(r->a, "%lld", rev);
	if ((rc = db_query_row(r->db, r->a, &sqls[FINDINGS_LOAD], 2, v,
	    &res)) != 1)
		return rc;
	out->unit = db_get_int(res, 0, &load_cols, "unit_id");
	out->title = arena_strdup(r->a, db_get(res, 0, &load_cols, "title"));
	out->body = arena_strdup(r->a, db_get(res, 0, &load_cols, "body"));
	out->tags = req_json_own(r, db_get_json(res, 0, &load_cols, "tags"));
	out->channels = req_json_own(r, db_get_json(res, 0, &load_cols,
	    "channels"));
	out->rules = req_json_own(r, db_get_json(res, 0, &load_cols,
	    "rules"));
	out->has_open = db_get_bool(res, 0, &load_cols, "has_open");
	if (out->tags == NULL || out->channels == NULL || out->rules == NULL)
		return -1;
	return 1;
}

int
findings_db_apply(struct req *r, long long unit, long long id,
    long long rev, const char *findings, json_t **open, json_t **notes)
{
	const char	*v[4];
	PGresult	*res;
	int		 rc;

	*open = NULL;
	v[0] = arena_printf(r->a, "%lld", unit);
	v[1] = arena_printf(r->a, "%lld", id);
	v[2] = arena_printf(r->a, "%lld", rev);
	v[3] = findings;
	if ((rc = db_query_row(r->db, r->a, &sqls[FINDINGS_APPLY], 4, v,
	    &res)) != 1)
		return rc;
	*open = req_json_own(r, db_get_json(res, 0, &apply_cols,
	    "suggestions"));
	*notes = req_json_own(r, db_get_json(res, 0, &apply_cols, "notes"));
	return *open != NULL && *notes != NULL ? 1 : -1;
}

int
findings_db_dismiss(struct req *r, const char *id, json_t **note,
    int *seen, const char **was)
{
	PGresult	*res;
	int		 rc;

	*note = NULL;
	*seen = 0;
	*was = "";
	if ((rc = db_query_row(r->db, r->a, &sqls[FINDINGS_DISMISS], 1, &id,
	    &res)) != 1)
		return rc;
	*seen = db_get_bool(res, 0, &dismiss_cols, "seen");
	*was = arena_strdup(r->a, db_get(res, 0, &dismiss_cols, "was"));
	if (db_get(res, 0, &dismiss_cols, "note") == NULL)
		return 0;
	*note = req_json_own(r, db_get_json(res, 0, &dismiss_cols, "note"));
	return *note != NULL ? 1 : -1;
}

int
guide_db_editor(struct req *r, const char *slug, long long id,
    json_t **notices, json_t **open)
{
	const char	*v[2];
	PGresult	*res;
	int		 rc;

	*notices = *open = NULL;
	v[0] = slug;
	v[1] = id > 0 ? arena_printf(r->a, "%lld", id) : "";
	if ((rc = db_query_row(r->db, r->a, &sqls[FINDINGS_EDITOR], 2, v,
	    &res)) != 1)
		return rc;
	*notices = req_json_own(r, db_get_json(res, 0, &editor_cols,
	    "notices"));
	*open = req_json_own(r, db_get_json(res, 0, &editor_cols,
	    "findings"));
	return *notices != NULL && *open != NULL ? 1 : -1;
}
