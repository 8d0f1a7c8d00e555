-- post_reach.sql: pgTAP proof of sql/040_post_reach.sql.  The read
-- policies of a post's revisions, suggestions, comments, co-authors,
-- publications and review requests ask the view ch_post_reach instead of
-- a definer function, and let through exactly what they did: a unit's
-- current members (any state) and the hub's admins and communicators;
-- not a member of another unit, a removed member, an expired guest, a
-- stranger, the hub's HR or nobody.  Reading them calls no definer
-- function; settings made by hand, a search_path and a temporary table
-- of the view's table's name widen nothing; the web role may read the
-- view (its own memberships) but not change it.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(27);

-- ann owns A (approved) and B (suspended), eve edits A, gwen is a guest
-- of A, gus was one (expired), rex was an author of A (removed), bob
-- owns C; hal is a hub admin, cora a communicator, hugo HR; stan is
-- nobody's member.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('gwen@t', 'Gwen', '!'),
    ('gus@t', 'Gus', '!'), ('rex@t', 'Rex', '!'), ('bob@t', 'Bob', '!'),
    ('hal@t', 'Hal', '!'), ('cora@t', 'Cora', '!'), ('hugo@t', 'Hugo', '!'),
    ('stan@t', 'Stan', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'gwen@t') AS gwen,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'rex@t') AS rex,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'hal@t') AS hal,
    (SELECT id FROM people WHERE email = 'cora@t') AS cora,
    (SELECT id FROM people WHERE email = 'hugo@t') AS hugo,
    (SELECT id FROM people WHERE email = 'stan@t') AS stan;
INSERT INTO hub_roles (person_id, role)
    SELECT hal, 'admin' FROM ids UNION ALL SELECT cora, 'communicator'
    FROM ids UNION ALL SELECT hugo, 'hr' FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', ann
    FROM ids
    UNION ALL SELECT 'unit-c', 'C', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN c bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    c = (SELECT id FROM units WHERE slug = 'unit-c');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, ann, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT b, ann, 'owner', NULL FROM ids
    UNION ALL SELECT a, eve, 'editor', NULL FROM ids
    UNION ALL SELECT a, gwen, 'guest', now() + interval '1 day' FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids
    UNION ALL SELECT a, rex, 'author', NULL FROM ids
    UNION ALL SELECT c, bob, 'owner', NULL FROM ids;
-- One post in each unit, with a revision, a suggestion and a comment;
-- A's has a co-author and a review request.
INSERT INTO posts (unit_id, author_id)
    SELECT a, ann FROM ids UNION ALL SELECT b, ann FROM ids
    UNION ALL SELECT c, bob FROM ids;
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags,
    channels)
    SELECT p.unit_id, p.id, p.author_id, 'T', 'The cat sat on the mat.',
    '{}', '{}' FROM posts p JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
    span_end, replacement, author_id)
    SELECT p.unit_id, p.id, 1, 4, 7, 'dog', p.author_id FROM posts p
    JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_comments (unit_id, post_id, author_id, body)
    SELECT p.unit_id, p.id, p.author_id, 'Fine.' FROM posts p
    JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_authors (unit_id, post_id, person_id, added_by)
    SELECT p.unit_id, p.id, eve, ann FROM posts p JOIN ids ON p.unit_id = a;
INSERT INTO post_review_requests (unit_id, post_id, reviewer_id,
    requested_by)
    SELECT p.unit_id, p.id, eve, ann FROM posts p JOIN ids ON p.unit_id = a;
-- B is suspended after its post was written; rex is removed from A.
UPDATE units SET state = 'suspended' WHERE id = (SELECT b FROM ids);
DELETE FROM unit_members WHERE person_id = (SELECT rex FROM ids);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
-- The units (by letter) whose rows the caller sees in each table:
-- revisions, suggestions, comments, co-authors, review requests.
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
	WITH n (id, l) AS (SELECT a, 'A' FROM ids UNION ALL
	    SELECT b, 'B' FROM ids UNION ALL SELECT c, 'C' FROM ids)
	SELECT concat_ws(' ',
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM post_revisions x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM post_suggestions x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM post_comments x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM post_authors x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM post_review_requests x JOIN n ON n.id = x.unit_id))
$$;
CREATE FUNCTION pg_temp.seen_by(who bigint, roles text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who, roles);
	RETURN pg_temp.seen();
END
$$;

-- Calls of SECURITY DEFINER functions so far in this transaction.
SET LOCAL track_functions = 'all';
CREATE FUNCTION pg_temp.definer_calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce(sum(f.calls), 0)::bigint
	FROM pg_stat_xact_user_functions f JOIN pg_proc p ON p.oid = f.funcid
	WHERE p.prosecdef
$$;
CREATE FUNCTION pg_temp.definer_calls_of(q text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	before	bigint := pg_temp.definer_calls();
BEGIN
	EXECUTE q;
	RETURN pg_temp.definer_calls() - before;
END
$$;

-- -- the view and the policies' shape -------------------------------------
SELECT ok((SELECT c.relkind = 'v' AND pg_get_userbyid(c.relowner) =
    pg_get_userbyid((SELECT relowner FROM pg_class
    WHERE oid = 'unit_members'::regclass)) AND coalesce(NOT
    'security_invoker=true' = ANY (c.reloptions), true)
    FROM pg_class c WHERE c.oid = 'ch_post_reach'::regclass),
    'ch_post_reach is a view of the owner of unit_members, read as its '
    'owner');
SELECT ok(has_table_privilege('chapterhouse_web', 'ch_post_reach', 'SELECT')
    AND NOT has_table_privilege('chapterhouse_web', 'ch_post_reach',
    'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
    AND NOT pg_has_role('chapterhouse_web', (SELECT relowner FROM pg_class
    WHERE oid = 'ch_post_reach'::regclass), 'USAGE'),
    'the web role may read the view, nothing more, and is not its owner');
SELECT is((SELECT string_agg(tablename, ',' ORDER BY tablename)
    FROM pg_policies WHERE policyname = tablename || '_read'
    AND qual ~ 'ch_post_reach' AND qual !~ 'ch_post_units'),
    'post_authors,post_comments,post_publications,post_review_requests,'
    'post_revisions,post_suggestions,posts',
    'seven read policies, posts too (043_post_save_cheap.sql), ask the '
    'view and no definer function');
SELECT is((SELECT count(*)::int FROM pg_policies
    WHERE qual ~ 'ch_post_reach' AND (NOT roles = '{chapterhouse_web}'
    OR cmd <> 'SELECT')), 0, 'and they are read policies of the web role '
    'only');

-- -- who reads what: revisions suggestions comments co-authors requests ---
SET LOCAL ROLE chapterhouse_web;
SELECT is(pg_temp.seen_by((SELECT ann FROM ids), ''), 'AB AB AB A A',
    'the owner of A and B reads both, B suspended included');
SELECT is(pg_temp.seen_by((SELECT eve FROM ids), ''), 'A A A A A',
    'an editor of A reads A only');
SELECT is(pg_temp.seen_by((SELECT gwen FROM ids), ''), 'A A A A A',
    'a current guest of A reads A');
SELECT is(pg_temp.seen_by((SELECT gus FROM ids), ''), '- - - - -',
    'an expired guest reads nothing');
SELECT is(pg_temp.seen_by((SELECT rex FROM ids), ''), '- - - - -',
    'a removed member reads nothing');
SELECT is(pg_temp.seen_by((SELECT bob FROM ids), ''), 'C C C - -',
    'a member of another unit reads only their own');
SELECT is(pg_temp.seen_by((SELECT stan FROM ids), ''), '- - - - -',
    'a stranger reads nothing');
SELECT is(pg_temp.seen_by(NULL, ''), '- - - - -', 'nobody acting reads '
    'nothing');
SELECT is(pg_temp.seen_by((SELECT hal FROM ids), 'admin'), 'ABC ABC ABC A A',
    'a hub admin reads every unit');
SELECT is(pg_temp.seen_by((SELECT cora FROM ids), 'communicator'),
    'ABC ABC ABC A A', 'a hub communicator reads every unit');
SELECT is(pg_temp.seen_by((SELECT hugo FROM ids), 'hr'), '- - - - -',
    'hub HR reads no post');
SELECT is(pg_temp.seen_by((SELECT bob FROM ids), 'hr,reader'),
    'C C C - -', 'a hub role that reviews nothing adds nothing');

-- -- no definer call --------------------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.definer_calls_of('SELECT count(*) FROM post_revisions '
    'JOIN post_suggestions USING (unit_id, post_id) JOIN post_comments '
    'USING (unit_id, post_id)'), 0::bigint,
    'revisions, suggestions and comments read: no definer call');
SELECT is(pg_temp.definer_calls_of('SELECT count(*) FROM posts'), 0::bigint,
    'posts read: no definer call either (043_post_save_cheap.sql)');

-- -- what the web role cannot do to widen it ------------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT units FROM ch_post_reach), (SELECT ARRAY[c] FROM ids),
    'the view shows the caller their own units');
SELECT is((SELECT count(*)::int FROM (SELECT set_config(n, (SELECT
    format('{%s,%s}', a, b) FROM ids), true) FROM unnest(ARRAY[
    'chapterhouse.units', 'chapterhouse.unit_ids', 'chapterhouse.post_units',
    'chapterhouse.post_reach', 'chapterhouse.reach',
    'chapterhouse.memberships']) n) x), 6, 'six settings name A and B');
SELECT is(pg_temp.seen(), 'C C C - -',
    'settings naming A and B let bob read nothing of them');
SELECT throws_ok($$INSERT INTO ch_post_reach VALUES ('{1}')$$, '55000',
    NULL, 'the web role cannot write the view (it is not updatable)');
SELECT throws_ok($$CREATE OR REPLACE VIEW ch_post_reach (units) AS
    SELECT NULL::bigint[]$$, '42501', NULL, 'nor replace it');
SELECT throws_ok($$ALTER VIEW ch_post_reach SET (security_invoker = true)$$,
    '42501', NULL, 'nor alter it');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, bob, 'owner' FROM ids$$, '42501', NULL,
    'nor make bob a member of A');
RESET ROLE;
-- A temporary table named like the view's table, first on the path.
CREATE TEMP TABLE unit_members (unit_id bigint, person_id bigint,
    expires_at timestamptz) ON COMMIT DROP;
INSERT INTO pg_temp.unit_members SELECT a, bob, NULL::timestamptz FROM ids
    UNION ALL SELECT b, bob, NULL FROM ids;
GRANT SELECT ON pg_temp.unit_members TO chapterhouse_web;
SET LOCAL search_path = pg_temp, public;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is(pg_temp.seen(), 'C C C - -',
    'a temporary table and search_path naming A and B change nothing');
RESET ROLE;
RESET search_path;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is(pg_temp.seen(), 'C C C - -', 'bob still reads only C');

SELECT * FROM finish();
ROLLBACK;
