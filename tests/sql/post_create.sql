-- post_create.sql: pgTAP proof of sql/028_post_create.sql.
-- ch_post_create() runs as the caller: a stranger, a member of another
-- unit, a removed member, a guest past their last day, a plain hub
-- reader and nobody at all make no post in a unit; a member of a
-- suspended unit neither.  A member makes the post, its first revision
-- and the audit entry, and is answered the rules of their unit only and
-- its review mode.  ch_auto_reviewers() answers as before.  Run like
-- posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(25);

-- The people and units of fixtures/post_units.sql; t, l and k name a
-- hub rule, unit A's local rule and unit B's.
\ir fixtures/post_units.sql
ALTER TABLE ids ADD COLUMN t bigint, ADD COLUMN l bigint, ADD COLUMN k bigint;
CREATE FUNCTION pg_temp.term(p text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('pattern', p, 'regex', false,
	    'case_sensitive', false, 'replacement', NULL)
$$;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'term', pg_temp.term('hub'), 'hub', adm, adm FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, created_by,
    updated_by) SELECT a, 'term', pg_temp.term('ours'), 'ours', own, own
    FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, created_by,
    updated_by) SELECT b, 'term', pg_temp.term('theirs'), 'theirs', bob, bob
    FROM ids;
UPDATE ids SET t = (SELECT id FROM guide_hub_rules),
    l = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.a),
    k = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.b);

SET LOCAL ROLE chapterhouse_web;

-- -- Who is refused ---------------------------------------------------------
SELECT pg_temp.act((SELECT str FROM ids));
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'a stranger makes no post in unit A');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor a member of another unit');
SELECT pg_temp.act((SELECT rem FROM ids));
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor a removed member');
SELECT pg_temp.act((SELECT old FROM ids));
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor a guest past their last day');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor a hub admin, who reads the posts');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor nobody');
SELECT pg_temp.act((SELECT sue FROM ids));
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-s', 'T', 'B',
    '{}', '{}')$$, '42501', NULL, 'nor the owner of a suspended unit');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT count(*)::int FROM ch_post_create('no-such-unit', 'T',
    'B', '{}', '{}')), 0, 'a unit that is not there: no row');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM posts) + (SELECT count(*)::int
    FROM post_revisions) + (SELECT count(*)::int FROM audit_log
    WHERE action = 'post.create'), 0, 'none of them left a trace');

-- -- A member's new draft -----------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
CREATE TEMP TABLE made ON COMMIT DROP AS SELECT * FROM ch_post_create(
    'unit-a', 'Fair', 'Our hub fair', '{news}', '{blog,x}');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM made), 1, 'an author of unit A makes '
    'a post there');
SELECT is((SELECT unit_id FROM made), (SELECT a FROM ids), 'in unit A');
SELECT is((SELECT (author_id, state, revision, title)::text FROM posts
    WHERE id = (SELECT id FROM made)), (SELECT (ann, 'draft', 1,
    'Fair')::text FROM ids), 'hers, a draft at its first revision');
SELECT is((SELECT (number, base, author_id, title, body, tags,
    channels)::text FROM post_revisions WHERE post_id = (SELECT id FROM made)),
    (SELECT (1, NULL::int, ann, 'Fair', 'Our hub fair', '{news}'::text[],
    '{blog,x}'::text[])::text FROM ids), 'with the text she sent as '
    'revision 1');
SELECT is((SELECT (actor_id, object_type, object_id, unit_id,
    after)::text FROM audit_log WHERE action = 'post.create'),
    (SELECT (ann, 'post', m.id::text, a, jsonb_build_object('title', 'Fair',
    'revision', 1, 'state', 'draft'))::text FROM ids, made m),
    'the audit log says who made it, where');
SELECT is((SELECT array_agg((r->>'id')::bigint ORDER BY (r->>'id')::bigint)
    FROM made, json_array_elements(made.rules::json) r),
    (SELECT ARRAY[least(t, l), greatest(t, l)] FROM ids),
    'answered the hub''s rules and unit A''s own, not unit B''s');
SELECT is((SELECT mode FROM made), 'none', 'and the hub''s default review '
    'mode');

-- -- ch_auto_reviewers() ------------------------------------------------------
INSERT INTO unit_review_modes (unit_id, mode, updated_by)
    SELECT a, 'peer', own FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT array_agg(r.id) FROM made, ch_auto_reviewers(made.id) r),
    (SELECT ARRAY[eve] FROM ids), 'in peer mode the author''s reviewers are '
    'the unit''s editors');
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is((SELECT count(*)::int FROM made, ch_auto_reviewers(made.id) r),
    0, 'and only the post''s writers learn them');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM made, ch_auto_reviewers(made.id) r),
    0, 'not a member of another unit');
SELECT pg_temp.act((SELECT ann FROM ids));
RESET ROLE;
UPDATE unit_review_modes SET mode = 'none';
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT count(*)::int FROM made, ch_auto_reviewers(made.id) r),
    0, 'a unit that asks nobody asks nobody');

-- -- Guideline suggestions, checked per statement --------------------------
RESET ROLE;
CREATE FUNCTION pg_temp.guide(e1 integer, e2 integer) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
	    span_end, replacement, author_id, source, rule_id)
	SELECT i.a, m.id, 1, 0, x.e, 'x', NULL, 'guidelines', i.t
	FROM ids i, made m, (VALUES (e1), (e2)) x(e)
$$;
SELECT lives_ok($$SELECT pg_temp.guide(3, 12)$$, 'two guideline '
    'suggestions within the text are written in one statement');
SELECT throws_ok($$SELECT pg_temp.guide(3, 13)$$, 'CH422', NULL,
    'one of them past the end of the text refuses the statement');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT i.a, m.id, 1, 0, 13,
    'x', i.eve FROM ids i, made m$$, 'CH422', NULL,
    'a reviewer''s suggestion past the end is refused as before');
RESET ROLE;
UPDATE posts SET state = 'published' WHERE id = (SELECT id FROM made);
UPDATE posts SET state = 'withdrawn' WHERE id = (SELECT id FROM made);
SELECT throws_ok($$SELECT pg_temp.guide(3, 12)$$, 'CH409', NULL,
    'a withdrawn post takes no guideline suggestion');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT i.a, m.id, 1, 0, 3,
    'x', i.eve FROM ids i, made m$$, 'CH409', NULL,
    'nor a reviewer''s, refused as before');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
