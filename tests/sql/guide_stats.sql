-- guide_stats.sql: pgTAP proof of sql/032_guide_stats.sql.  What each
-- rule achieves (guide_rule_stats) is read by hub admins and hub
-- communicators for every unit and by a unit's owners for theirs; the
-- unit's other members, another unit's owner who writes in the unit,
-- hub HR, a removed owner, a stranger and the anonymous role read none
-- of it.  The numbers are exact: fired with the muted apart, suggested,
-- accepted, declined, and left open at each publication.  Then 100,000
-- counts, and the plan of reading them.  Run like posts.sql (as the
-- superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(20);

-- Unit A: own owns it, ann and bob write in it, eve edits; rem owned it
-- and was removed.  Unit B: bob owns it.  adm, com and hr hold the hub
-- roles admin, communicator and hr; str belongs to nothing.
INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'),
    ('bob@t', 'Bob', '!'), ('rem@t', 'Rem', '!'), ('adm@t', 'Adm', '!'),
    ('com@t', 'Com', '!'), ('hr@t', 'Hr', '!'), ('str@t', 'Str', '!');
INSERT INTO hub_roles (person_id, role)
    SELECT id, 'admin' FROM people WHERE email = 'adm@t'
    UNION ALL SELECT id, 'communicator' FROM people WHERE email = 'com@t'
    UNION ALL SELECT id, 'hr' FROM people WHERE email = 'hr@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'rem@t') AS rem,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'com@t') AS com,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint,
    ADD COLUMN p bigint, ADD COLUMN q bigint, ADD COLUMN t bigint,
    ADD COLUMN m bigint, ADD COLUMN l bigint, ADD COLUMN k bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids
    UNION ALL SELECT a, ann, 'author' FROM ids
    UNION ALL SELECT a, bob, 'author' FROM ids
    UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT a, rem, 'owner' FROM ids
    UNION ALL SELECT b, bob, 'owner' FROM ids;
DELETE FROM unit_members WHERE person_id = (SELECT rem FROM ids);
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids
    UNION ALL SELECT b, bob FROM ids;
UPDATE ids SET p = (SELECT id FROM posts WHERE unit_id = ids.a),
    q = (SELECT id FROM posts WHERE unit_id = ids.b);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'P', 'It is guaranteed, guaranteed.' FROM ids
    UNION ALL SELECT b, q, bob, 'Q', 'It is guaranteed.' FROM ids;
CREATE FUNCTION pg_temp.term(p text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('pattern', p, 'regex', false,
	    'case_sensitive', false, 'replacement', NULL)
$$;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'term', pg_temp.term('guaranteed'), 'no promises', adm, adm
    FROM ids;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'term', pg_temp.term('it'), 'muted in A', adm, adm FROM ids;
UPDATE ids SET t = (SELECT min(id) FROM guide_hub_rules),
    m = (SELECT max(id) FROM guide_hub_rules);
INSERT INTO guide_mutes (unit_id, rule_id, reason, muted_by)
    SELECT a, m, 'we do', own FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, created_by,
    updated_by) SELECT a, 'term', pg_temp.term('is'), 'A''s own', own, own
    FROM ids UNION ALL SELECT b, 'term', pg_temp.term('is'), 'B''s own',
    bob, bob FROM ids;
UPDATE ids SET l = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.a),
    k = (SELECT id FROM guide_unit_rules WHERE unit_id = ids.b);
GRANT SELECT ON ids TO chapterhouse_web;

-- What the saves recorded.  In A, T found 3 (raised 3), the muted M 2,
-- L 1; in B, T and K 1 each.  T's suggestions in A: one accepted at
-- 10:30, one declined at 12:00, one outdated at 10:10; L's stays open;
-- all raised at 10:00.  P was published at 11:00 and again at 13:00:
-- left open at publishing, T 1 (the declined one, at 11:00), L 2.  In
-- B, T's suggestion is accepted and Q never published.
INSERT INTO guide_fires (unit_id, post_id, revision, rule_id, muted, found,
    raised)
    SELECT a, p, 1, t, false, 3, 3 FROM ids
    UNION ALL SELECT a, p, 1, m, true, 2, 0 FROM ids
    UNION ALL SELECT a, p, 1, l, false, 1, 1 FROM ids
    UNION ALL SELECT b, q, 1, t, false, 1, 1 FROM ids
    UNION ALL SELECT b, q, 1, k, false, 1, 1 FROM ids;
INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
    span_end, replacement, comment, author_id, source, rule_id, state,
    created_at, decided_at, accepted_revision)
    SELECT a, p, 1, 6, 16, 'guaranteed', 'no promises', NULL::bigint,
	'guidelines', t, 'accepted', '2030-01-01 10:00Z'::timestamptz,
	'2030-01-01 10:30Z'::timestamptz, 1 FROM ids
    UNION ALL SELECT a, p, 1, 18, 28, 'guaranteed', 'no promises', NULL,
	'guidelines', t, 'declined', '2030-01-01 10:00Z',
	'2030-01-01 12:00Z', NULL FROM ids
    UNION ALL SELECT a, p, 1, 6, 16, 'guaranteed', 'no promises', NULL,
	'guidelines', t, 'outdated', '2030-01-01 10:00Z',
	'2030-01-01 10:10Z', NULL FROM ids
    UNION ALL SELECT a, p, 1, 3, 5, 'is', 'A''s own', NULL, 'guidelines',
	l, 'open', '2030-01-01 10:00Z', NULL, NULL FROM ids
    UNION ALL SELECT b, q, 1, 6, 16, 'guaranteed', 'no promises', NULL,
	'guidelines', t, 'accepted', '2030-01-01 10:00Z',
	'2030-01-01 10:05Z', 1 FROM ids;
INSERT INTO post_publications (unit_id, post_id, revision, published_at,
    published_by, open_suggestions)
    SELECT a, p, 1, '2030-01-01 11:00Z'::timestamptz, ann, 2 FROM ids
    UNION ALL SELECT a, p, 1, '2030-01-01 13:00Z', ann, 1 FROM ids;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- Each row as unit:rule:fired:muted:suggested:accepted:declined:left_open.
CREATE FUNCTION pg_temp.seen() RETURNS text[] LANGUAGE sql AS $$
	SELECT coalesce(array_agg(u.slug || ':' || CASE s.rule_id
	    WHEN i.t THEN 'T' WHEN i.m THEN 'M' WHEN i.l THEN 'L'
	    WHEN i.k THEN 'K' END || ':' || s.fired || ':' || s.muted || ':' ||
	    s.suggested || ':' || s.accepted || ':' || s.declined || ':' ||
	    s.left_open ORDER BY u.slug, s.rule_id), '{}')
	FROM guide_rule_stats s JOIN units u ON u.id = s.unit_id, ids i
$$;
GRANT EXECUTE ON FUNCTION pg_temp.seen() TO chapterhouse_web;

-- The plan of reading every row of the view, as JSON.
CREATE FUNCTION pg_temp.explain() RETURNS json LANGUAGE plpgsql AS $$
DECLARE
	j	json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT * FROM guide_rule_stats' INTO j;
	RETURN j;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.explain() TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;

-- -- Who reads them -----------------------------------------------------------
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is(pg_temp.seen(), ARRAY['unit-a:T:3:0:3:1:1:1', 'unit-a:M:2:2:0:0:0:0',
    'unit-a:L:1:0:1:0:0:2', 'unit-b:T:1:0:1:1:0:0', 'unit-b:K:1:0:0:0:0:0'],
    'a hub admin reads every unit''s numbers, exact');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT is(cardinality(pg_temp.seen()), 5, 'so does a hub communicator');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(pg_temp.seen(), ARRAY['unit-a:T:3:0:3:1:1:1', 'unit-a:M:2:2:0:0:0:0',
    'unit-a:L:1:0:1:0:0:2'], 'A''s owner reads A''s numbers only');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is(pg_temp.seen(), ARRAY['unit-b:T:1:0:1:1:0:0',
    'unit-b:K:1:0:0:0:0:0'], 'B''s owner reads B''s only, though he '
    'writes in A and reads its suggestions');
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE unit_id =
    (SELECT a FROM ids)), 4, '(he does read A''s suggestions)');
SELECT is((SELECT count(*)::int FROM guide_fires WHERE unit_id =
    (SELECT a FROM ids)), 0, 'but not A''s counts');
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is(pg_temp.seen(), '{}'::text[], 'A''s editor reads none');
SELECT is((SELECT count(*)::int FROM guide_fires), 0,
    'nor A''s counts themselves');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(pg_temp.seen(), '{}'::text[], 'nor does A''s author');
SELECT pg_temp.act((SELECT rem FROM ids));
SELECT is(pg_temp.seen(), '{}'::text[], 'nor A''s removed owner');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is(pg_temp.seen(), '{}'::text[], 'nor hub HR');
SELECT is((SELECT count(*)::int FROM guide_fires), 0,
    'nor HR the counts themselves');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is(pg_temp.seen(), '{}'::text[], 'nor a stranger');
SELECT pg_temp.act(NULL);
SELECT is(pg_temp.seen(), '{}'::text[], 'nor the web role with nobody acting');
RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$SELECT count(*) FROM guide_rule_stats$$, '42501', NULL,
    'the anonymous role may not read the view');
SELECT throws_ok($$SELECT count(*) FROM guide_fires$$, '42501', NULL,
    'nor the counts');
RESET ROLE;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$INSERT INTO guide_fires (unit_id, post_id, revision,
    rule_id, muted, found, raised) SELECT a, p, 1, k, false, 1, 1 FROM ids$$,
    '42501', NULL, 'a hub admin writes no count');
RESET ROLE;

-- -- 100,000 counts ------------------------------------------------------------
-- 1,000 revisions of P, each counted for 100 rules (rule ids need not
-- be rules': the counts outlive a removed rule).
DO $$
BEGIN
	FOR g IN 1 .. 999 LOOP
		INSERT INTO post_revisions (unit_id, post_id, base, author_id,
		    title, body) SELECT a, p, g, ann, 'P',
		    'It is guaranteed, ' || g FROM ids;
	END LOOP;
END
$$;
INSERT INTO guide_fires (unit_id, post_id, revision, rule_id, muted, found,
    raised)
    SELECT a, p, rv, 1000000 + n, n % 10 = 0, 1 + n % 3,
	CASE WHEN n % 10 = 0 THEN 0 ELSE 1 END
    FROM ids, generate_series(1, 1000) rv, generate_series(1, 100) n;
ANALYZE guide_fires;
ANALYZE post_suggestions;
ANALYZE post_publications;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_fires), 100005,
    'a hub admin reads 100,005 counts');
SELECT is((SELECT sum(fired)::int || '/' || count(*) FROM guide_rule_stats),
    '200008/105', 'summed per unit and rule into 105 rows');
SELECT diag('EXPLAIN SELECT * FROM guide_rule_stats as a hub admin over '
    '100,005 counts: total cost ' || (pg_temp.explain()->0->'Plan'->>
    'Total Cost'));
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT count(*)::int FROM guide_rule_stats), 103,
    'A''s owner reads A''s 103 rows of them');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
