-- guide_notes.sql: pgTAP proof of sql/036_guide_notes.sql.  Only
-- ch_guide_record() writes guideline notes, for the author of a post's
-- latest revision; only the post's author and co-authors dismiss one,
-- and only to declined; the counters are written by triggers alone and
-- read as guide_fires is: by the unit's owners and the hub's admins and
-- communicators, not by another unit or the unit's other members.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(20);

-- As guide_findings.sql: unit A (ann an author, eve an editor, own its
-- owner), unit B (bob), adm a hub admin; ann writes P; hub rules T and M
-- (muted by A), rules L of A and K of B.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('own@t', 'Own', '!'),
    ('bob@t', 'Bob', '!'), ('adm@t', 'Adm', '!');
INSERT INTO hub_roles (person_id, role)
    SELECT id, 'admin' FROM people WHERE email = 'adm@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint,
    ADD COLUMN p bigint, ADD COLUMN t bigint, ADD COLUMN m bigint,
    ADD COLUMN l bigint, ADD COLUMN k bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids
    UNION ALL SELECT a, ann, 'author' FROM ids
    UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT b, bob, 'owner' FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
UPDATE ids SET p = (SELECT id FROM posts WHERE unit_id = ids.a);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'P', 'It is guaranteed, guaranteed.' FROM ids;
CREATE FUNCTION pg_temp.term(p text, r text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('pattern', p, 'regex', false,
	    'case_sensitive', false, 'replacement', r)
$$;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'term', pg_temp.term('guaranteed', 'designed to'), 'no promises',
    adm, adm FROM ids;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'term', pg_temp.term('it', NULL), 'muted', adm, adm FROM ids;
UPDATE ids SET t = (SELECT min(id) FROM guide_hub_rules),
    m = (SELECT max(id) FROM guide_hub_rules);
INSERT INTO guide_mutes (unit_id, rule_id, reason, muted_by)
    SELECT a, m, 'we do', own FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, created_by,
    updated_by) SELECT a, 'term', pg_temp.term('is', NULL), 'local', own, own
    FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, created_by,
    updated_by) SELECT b, 'term', pg_temp.term('is', NULL), 'theirs', bob, bob
    FROM ids;
UPDATE ids SET l = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.a),
    k = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.b);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', who::text, true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- A term of T in the title, a tag outside a taxonomy (T stands for it:
-- the rule's kind is not read), and a title finding of the muted M.
CREATE FUNCTION pg_temp.found() RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    jsonb_build_object('rule', t, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', 'Q'),
	    jsonb_build_object('rule', l, 'field', 'tags', 'start', NULL,
		'end', NULL, 'replacement', 'news', 'tag', 'nws'),
	    jsonb_build_object('rule', m, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', NULL),
	    jsonb_build_object('rule', k, 'field', 'tags', 'start', NULL,
		'end', NULL, 'replacement', NULL, 'tag', 'x')) FROM ids
$$;
GRANT EXECUTE ON FUNCTION pg_temp.found() TO chapterhouse_web;
-- Dismiss the notes (of field f) as who: how many were.
CREATE FUNCTION pg_temp.dismiss(who bigint, f text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	UPDATE guide_notes SET state = 'declined', decided_by = who
	    WHERE f IS NULL OR field = f;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.dismiss(bigint, text) TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;

-- -- Who records notes --------------------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL,
    'an editor records no notes on a revision she did not write');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL, 'nor a member of another unit');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL, 'nor a hub admin');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$INSERT INTO guide_notes (unit_id, post_id, revision,
    rule_id, field, original, message) SELECT a, p, 1, t, 'title', 'P', 'x'
    FROM ids$$, '42501', NULL, 'the web role writes no note itself');
SELECT throws_ok($$INSERT INTO guide_rule_counts (unit_id, rule_id, fired)
    SELECT a, t, 1 FROM ids$$, '42501', NULL, 'nor a counter');

-- -- The author's save ----------------------------------------------------------
SELECT is((SELECT string_agg(x->>'field' || ':' || (x->>'original'), ',')
    FROM ids, jsonb_array_elements(ch_guide_record(a, p, 1,
    pg_temp.found())->'notes') x), 'tags:nws,title:P',
    'the author''s save raises a note for the title and one for the tag; '
    'not the muted rule, not another unit''s rule');

-- -- Who dismisses ---------------------------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is(pg_temp.dismiss((SELECT eve FROM ids)), 0,
    'another member of the unit dismisses nothing');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_notes), 0,
    'another unit reads no note');
SELECT is(pg_temp.dismiss((SELECT bob FROM ids)), 0,
    'and dismisses none');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_notes), 2,
    'a hub admin reads the notes');
SELECT is(pg_temp.dismiss((SELECT adm FROM ids)), 0,
    'but dismisses none');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$UPDATE guide_notes SET state = 'outdated',
    decided_by = (SELECT ann FROM ids)$$, '42501', NULL,
    'the author cannot outdate a note');
SELECT throws_ok($$UPDATE guide_notes SET original = 'x'$$, '42501', NULL,
    'nor change what it says');
SELECT is(pg_temp.dismiss((SELECT ann FROM ids), 'tags'), 1,
    'the author dismisses the tags note');
SELECT throws_ok($$UPDATE guide_notes SET state = 'declined',
    decided_by = (SELECT ann FROM ids) WHERE field = 'tags'$$, 'CH409', NULL,
    'once');

-- -- The counters --------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM guide_rule_counts), 0,
    'the author reads no counter');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT string_agg(concat_ws(':', rule_id = t, suggested,
    declined), ',' ORDER BY rule_id) FROM guide_rule_stats, ids
    WHERE rule_id <> m), 't:1:0,f:1:1',
    'the owner reads the unit''s: a note suggested, the dismissed one '
    'declined');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_rule_counts), 0,
    'another unit''s owner reads none of them');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_rule_stats), 3,
    'a hub admin reads them: the three rules that fired');
SELECT throws_ok($$UPDATE guide_rule_counts SET fired = 0$$, '42501', NULL,
    'and changes none');

SELECT * FROM finish();
ROLLBACK;
