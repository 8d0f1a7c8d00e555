-- rls_cheap.sql: pgTAP proof of sql/017_rls_cheap.sql.  ch_post_units()
-- is PL/pgSQL now (it keeps its plan) and answers as before for every
-- need: members of approved units write, owners and editors review,
-- owners own, a suspended unit is read only, an expired guest and an
-- anonymous caller get nothing; it runs at most once per policy and
-- statement (posts not at all: 043_post_save_cheap.sql); settings made
-- by hand grant no unit.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(20);

-- ann owns A (approved) and B (suspended), eve edits A, aut writes in A,
-- gwen is a guest of A, gus was one (expired), bob owns C (approved).
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('aut@t', 'Aut', '!'),
    ('gwen@t', 'Gwen', '!'), ('gus@t', 'Gus', '!'), ('bob@t', 'Bob', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'aut@t') AS aut,
    (SELECT id FROM people WHERE email = 'gwen@t') AS gwen,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'suspended', ann
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
    UNION ALL SELECT a, aut, 'author', NULL FROM ids
    UNION ALL SELECT a, gwen, 'guest', now() + interval '1 day' FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids
    UNION ALL SELECT c, bob, 'owner', NULL FROM ids;
-- Ten posts in each unit.
INSERT INTO posts (unit_id, author_id)
    SELECT a, ann FROM ids, generate_series(1, 10)
    UNION ALL SELECT b, ann FROM ids, generate_series(1, 10)
    UNION ALL SELECT c, bob FROM ids, generate_series(1, 10);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
CREATE FUNCTION pg_temp.units(who bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who, '');
	RETURN concat_ws(' ', ch_post_units('read'), ch_post_units('write'),
	    ch_post_units('review'), ch_post_units('own'));
END
$$;

-- Calls of ch_post_units() so far in this transaction.
SET LOCAL track_functions = 'pl';
CREATE FUNCTION pg_temp.calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_xact_user_functions
	WHERE funcname = 'ch_post_units' AND schemaname = 'public'
$$;
CREATE FUNCTION pg_temp.calls_of(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	before	bigint := pg_temp.calls();
BEGIN
	EXECUTE q;
	RETURN pg_temp.calls() - before;
END
$$;

SELECT is((SELECT l.lanname FROM pg_proc p JOIN pg_language l
    ON l.oid = p.prolang WHERE p.proname = 'ch_post_units'), 'plpgsql',
    'ch_post_units is PL/pgSQL: its plan is kept');
SELECT ok((SELECT prosecdef AND provolatile = 's' FROM pg_proc
    WHERE proname = 'ch_post_units'),
    'still a STABLE SECURITY DEFINER function');
SELECT ok(NOT has_function_privilege('public', 'ch_post_units(text)',
    'EXECUTE'), 'not callable by PUBLIC');

-- -- what it computes, need by need: read write review own --------------
SET LOCAL ROLE chapterhouse_web;
SELECT is(pg_temp.units((SELECT ann FROM ids)), (SELECT format(
    '{%s,%s} {%s} {%s} {%s}', a, b, a, a, a) FROM ids),
    'an owner: reads both units, writes, reviews and owns the approved one');
SELECT is(pg_temp.units((SELECT eve FROM ids)), (SELECT format(
    '{%s} {%s} {%s} {}', a, a, a) FROM ids),
    'an editor: reads, writes and reviews, owns nothing');
SELECT is(pg_temp.units((SELECT aut FROM ids)), (SELECT format(
    '{%s} {%s} {} {}', a, a) FROM ids),
    'an author: reads and writes, no review');
SELECT is(pg_temp.units((SELECT gwen FROM ids)), (SELECT format(
    '{%s} {%s} {} {}', a, a) FROM ids),
    'a current guest: reads and writes');
SELECT is(pg_temp.units((SELECT gus FROM ids)), '{} {} {} {}',
    'an expired guest: nothing');
SELECT is(pg_temp.units(NULL), '{} {} {} {}', 'nobody acting: nothing');
SELECT is(pg_temp.units((SELECT bob FROM ids)), (SELECT format(
    '{%s} {%s} {%s} {%s}', c, c, c, c) FROM ids),
    'another unit''s owner: only their own unit');

-- -- what the policies let through ---------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT count(*)::int FROM posts), 20,
    'the owner reads the posts of both units');
SELECT pg_temp.act((SELECT gus FROM ids), '');
SELECT is((SELECT count(*)::int FROM posts), 0,
    'the expired guest reads none');
SELECT pg_temp.act(NULL, '');
SELECT is((SELECT count(*)::int FROM posts), 0, 'nobody acting reads none');
SELECT pg_temp.act((SELECT aut FROM ids), '');
SELECT throws_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT b, aut FROM ids$$, '42501', NULL,
    'nobody writes in a unit they are not a member of');

-- -- no call at all for posts (043_post_save_cheap.sql: posts_read asks
-- the view ch_post_reach instead)
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.calls_of('SELECT count(*) FROM posts'), 0::bigint,
    'thirty posts read: no call');
SELECT pg_temp.act(NULL, '');
SELECT is(pg_temp.calls_of('SELECT count(*) FROM posts'), 0::bigint,
    'anonymous: no call');

-- -- settings made by hand grant nothing ---------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT count(*)::int FROM (SELECT set_config(n, (SELECT '{' ||
    c || '}' FROM ids), true) FROM unnest(ARRAY['chapterhouse.units',
    'chapterhouse.unit_ids', 'chapterhouse.post_units',
    'chapterhouse.owned_units', 'chapterhouse.memberships']) n) x), 5,
    'five settings name unit C');
SELECT is(ch_post_units('read'), (SELECT ARRAY[a, b] FROM ids),
    'settings naming unit C do not change what ch_post_units answers');
SELECT is((SELECT count(*)::int FROM posts WHERE unit_id =
    (SELECT c FROM ids)), 0, 'the posts of a unit named in a setting stay '
    'unseen');
SELECT throws_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT c, ann FROM ids$$, '42501', NULL,
    'and take no new post');

SELECT * FROM finish();
ROLLBACK;
