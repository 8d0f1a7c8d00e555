-- post_save_cheap.sql: pgTAP proof of sql/043_post_save_cheap.sql.
-- ch_post_first() refuses everyone posts_create refuses (a stranger, a
-- member of another unit, a removed member, a guest past their last
-- day, a hub admin, nobody, the owner of a suspended unit, a unit id
-- given by hand), leaving nothing; a member's new post is written once,
-- already at revision 1; the web role cannot give a revision's number
-- (which skips the trigger's checks); one trigger still refuses an
-- outdated base (CH412, first) and a withdrawn post (CH409); the posts'
-- read and write policies and a new draft call no definer
-- ch_post_units(); settings naming another unit widen nothing.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(33);

-- The people and units of fixtures/post_units.sql; p names a post.
\ir fixtures/post_units.sql
ALTER TABLE ids ADD COLUMN p bigint;
-- ch_post_first() on unit u as the acting person.
CREATE FUNCTION pg_temp.first(u bigint) RETURNS bigint LANGUAGE sql AS $$
	SELECT ch_post_first(u, 'T', 'B', '{}', '{}')
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

SELECT ok((SELECT prosecdef FROM pg_proc WHERE proname = 'ch_post_first'),
    'ch_post_first is a definer function');
SELECT ok(NOT has_function_privilege('public',
    'ch_post_first(bigint, text, text, text[], text[])', 'EXECUTE'),
    'not callable by PUBLIC');
SELECT ok((SELECT NOT prosecdef FROM pg_proc
    WHERE proname = 'ch_post_create'), 'ch_post_create still runs as the '
    'caller');

-- -- Who is refused ---------------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT str FROM ids));
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'a stranger makes no post in unit A');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'nor a member of another unit');
SELECT pg_temp.act((SELECT rem FROM ids));
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'nor a removed member');
SELECT pg_temp.act((SELECT old FROM ids));
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'nor a guest past their last day');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'nor a hub admin, who reads the posts');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'nor nobody');
SELECT pg_temp.act((SELECT sue FROM ids));
SELECT throws_ok($$SELECT pg_temp.first(s) FROM ids$$, '42501', NULL,
    'nor the owner of a suspended unit');
SELECT throws_ok($$SELECT pg_temp.first(NULL)$$, '42501', NULL,
    'nor anyone in no unit');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT set_config('chapterhouse.units', (SELECT a FROM ids)::text, true);
SELECT throws_ok($$SELECT pg_temp.first(a) FROM ids$$, '42501', NULL,
    'a setting naming unit A gives its write to nobody');
SELECT throws_ok($$SELECT * FROM ch_post_create('unit-a', 'T', 'B', '{}',
    '{}')$$, '42501', NULL, 'and ch_post_create() refuses as before');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM posts) + (SELECT count(*)::int
    FROM post_revisions) + (SELECT count(*)::int FROM audit_log
    WHERE action = 'post.create'), 0, 'none of them left a trace');

-- -- A member's new draft, written once --------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT rdr FROM ids));
SELECT is(pg_temp.calls_of($$SELECT * FROM ch_post_create('unit-a', 'Fair',
    'Our fair', '{news}', '{blog}')$$), 0::bigint,
    'a guest before their last day makes a post, with no ch_post_units() '
    'call');
RESET ROLE;
UPDATE ids SET p = (SELECT max(id) FROM posts);
SELECT is((SELECT (author_id, state, revision, title)::text FROM posts
    WHERE id = (SELECT p FROM ids)), (SELECT (rdr, 'draft', 1,
    'Fair')::text FROM ids), 'the post is a draft at revision 1, titled');
SELECT is((SELECT (number, base, title, body)::text FROM post_revisions
    WHERE post_id = (SELECT p FROM ids)), '(1,,Fair,"Our fair")',
    'its revision 1 holds the text');
SELECT is((SELECT n_tup_ins || ' ' || n_tup_upd FROM pg_stat_xact_user_tables
    WHERE relname = 'posts'), '1 0',
    'the post row was inserted and never updated');
SELECT is((SELECT count(*)::int FROM audit_log WHERE action = 'post.create'
    AND object_id = (SELECT p::text FROM ids)), 1, 'the audit entry is there');

-- -- The web role's revisions: numbered and checked by the trigger ----------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT rdr FROM ids));
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, number,
    base, author_id, title, body) SELECT a, p, 2, 1, rdr, 'X', 'x'
    FROM ids$$, '42501', NULL,
    'the web role cannot give a revision''s number');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, NULL, rdr, 'X', 'x' FROM ids$$,
    'CH412', NULL, 'a second first revision is outdated (CH412)');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, rdr, 'Second', 'x' FROM ids$$,
    'the author saves revision 2');
SELECT is((SELECT revision || ' ' || title FROM posts
    WHERE id = (SELECT p FROM ids)), '2 Second',
    'and the post shows it');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 2, bob, 'X', 'x' FROM ids$$,
    '42501', NULL, 'a member of another unit writes no revision of it');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 2, own, 'X', 'x' FROM ids$$,
    '42501', NULL, 'nor the unit''s owner, who is not its author');
RESET ROLE;
UPDATE posts SET state = 'published', published_revision = 2
    WHERE id = (SELECT p FROM ids);
UPDATE posts SET state = 'withdrawn' WHERE id = (SELECT p FROM ids);
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT rdr FROM ids));
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, rdr, 'X', 'x' FROM ids$$,
    'CH412', NULL, 'on a withdrawn post an outdated base is still CH412');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 2, rdr, 'X', 'x' FROM ids$$,
    'CH409', NULL, 'and a current one CH409: a withdrawn post is not '
    'edited');

-- -- The policies of posts call no definer ----------------------------------
SELECT is(pg_temp.calls_of('SELECT count(*) FROM posts'), 0::bigint,
    'reading posts calls no ch_post_units()');
SELECT is((SELECT count(*)::int FROM posts), 1, 'and the guest reads the '
    'post of unit A');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM posts), 1, 'so does a hub admin');
SELECT pg_temp.act((SELECT old FROM ids));
SELECT is((SELECT count(*)::int FROM posts), 0,
    'not a guest past their last day');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM posts), 0,
    'nor a member of another unit, whatever chapterhouse.units says');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM pg_policies WHERE tablename IN
    ('posts', 'post_revisions') AND (qual ~ 'ch_post_units'
    OR with_check ~ 'ch_post_units')), 0,
    'no policy of posts or post_revisions asks ch_post_units()');

SELECT * FROM finish();
ROLLBACK;
