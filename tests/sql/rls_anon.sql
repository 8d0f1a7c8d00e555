-- rls_anon.sql: pgTAP proof of sql/025_rls_roles.sql.  chapterhouse_anon,
-- the role of anonymous reads, sees approved units and their public
-- columns only, whatever the settings say; it reads no other table,
-- writes nothing, owns nothing, and a login holding it alone cannot SET
-- ROLE to anything wider.  chapterhouse_web may switch to it without
-- taking its policy; the other processes may not.  The session lookup
-- answers only for a live session's hash.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(24);

-- ann requested R (requested) and owns A (approved) and S (suspended).
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'anon-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'anon-r', 'R', 'chapter', 'p', 'a', 'requested', ann
    FROM ids
    UNION ALL SELECT 'anon-s', 'S', 'chapter', 'p', 'a', 'suspended', ann
    FROM ids;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, ann, 'owner' FROM units u, ids
    WHERE u.slug IN ('anon-a', 'anon-s');
INSERT INTO sessions (token_hash, person_id)
    SELECT sha256('live'), ann FROM ids;
GRANT SELECT ON ids TO chapterhouse_anon, chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(slug, ' ' ORDER BY slug), '') FROM units
	WHERE slug LIKE 'anon-%'
$$;

-- -- the role itself ----------------------------------------------------
SELECT ok((SELECT NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls
    AND NOT rolcreaterole AND NOT rolcreatedb AND NOT rolinherit
    FROM pg_roles WHERE rolname = 'chapterhouse_anon'),
    'chapterhouse_anon: no login, no superuser, no BYPASSRLS, no creation');
SELECT is((SELECT count(*)::int FROM pg_class
    WHERE relowner = 'chapterhouse_anon'::regrole), 0, 'it owns nothing');
SELECT is((SELECT count(*)::int FROM pg_auth_members
    WHERE member = 'chapterhouse_anon'::regrole), 0,
    'it is a member of no role');
SELECT ok(pg_has_role('chapterhouse_web', 'chapterhouse_anon', 'MEMBER'),
    'the web role may SET ROLE to it');
SELECT ok(NOT pg_has_role('chapterhouse_web', 'chapterhouse_anon', 'USAGE'),
    'the web role does not inherit it: its policy is not the web''s');
SELECT ok(NOT pg_has_role('chapterhouse_worker', 'chapterhouse_anon',
    'MEMBER') AND NOT pg_has_role('chapterhouse_cli', 'chapterhouse_anon',
    'MEMBER'), 'the job worker and the command line may not');
SELECT is((SELECT string_agg(tablename || '.' || policyname, ' '
    ORDER BY tablename, policyname)
    FROM pg_policies WHERE 'chapterhouse_anon' = ANY (roles)),
    'hub_advisories.hub_advisories_anon '
    'public_changes.public_changes_anon '
    'public_post_tags.public_post_tags_anon public_posts.public_posts_anon '
    'public_sitemap_blocks.public_sitemap_blocks_anon '
    'public_sitemap_units.public_sitemap_units_anon '
    'units.units_public', 'only the public policies name it: approved '
    'units, the public copies of their posts (033_public_anon.sql), '
    'when they changed (034_public_cache.sql), the hub''s current '
    'public advisories (037_advisories.sql) and the sitemap''s counts '
    '(046_sitemap_counts.sql)');

-- -- what it reads ------------------------------------------------------
SET LOCAL ROLE chapterhouse_anon;
SELECT pg_temp.act(NULL, '');
SELECT is(pg_temp.seen(), 'anon-a', 'anonymous: the approved unit only');
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.seen(), 'anon-a',
    'naming its requester and owner as the acting person changes nothing');
SELECT pg_temp.act((SELECT ann FROM ids), 'admin,communicator,hr');
SELECT is(pg_temp.seen(), 'anon-a', 'nor do hub roles set by hand');
SELECT throws_ok($$SELECT requested_by FROM units$$, '42501', NULL,
    'who requested a unit is not a public column');
SELECT throws_ok($$SELECT role FROM unit_members$$, '42501', NULL,
    'members: not readable');
SELECT throws_ok($$SELECT decision FROM unit_decisions$$, '42501', NULL,
    'decisions: not readable');
SELECT throws_ok($$SELECT email FROM people$$, '42501', NULL,
    'people: not readable');
SELECT throws_ok($$SELECT person_id FROM sessions$$, '42501', NULL,
    'sessions: not readable');
SELECT throws_ok($$SELECT id FROM posts$$, '42501', NULL,
    'posts: not readable');
SELECT throws_ok($$UPDATE units SET name = 'X' WHERE slug = 'anon-a'$$,
    '42501', NULL, 'it changes no unit');
SELECT throws_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    requested_by) VALUES ('anon-x', 'X', 'chapter', 'p', 'a', 1)$$,
    '42501', NULL, 'it requests no unit');

-- -- the session lookup --------------------------------------------------
SELECT is((SELECT count(*)::int FROM ch_session_load(sha256('live'),
    3600, 3600)), 1, 'the lookup finds a live session by its hash');
SELECT is((SELECT count(*)::int FROM ch_session_load(sha256('other'),
    3600, 3600)), 0, 'and nothing for another hash');
SELECT is((SELECT count(*)::int FROM ch_session_load(sha256('live'),
    0, 3600)), 0, 'nor for a session idle too long');
RESET ROLE;
SELECT ok(NOT has_function_privilege('public',
    'ch_session_load(bytea, integer, integer)', 'EXECUTE'),
    'the lookup is not PUBLIC''s');

-- -- no way wider --------------------------------------------------------
-- A session whose login holds chapterhouse_anon alone (the superuser
-- becomes it for the test) cannot SET ROLE to the web role or the owner.
SET LOCAL SESSION AUTHORIZATION chapterhouse_anon;
DO $$
BEGIN
	BEGIN
		SET LOCAL ROLE chapterhouse_web;
		PERFORM set_config('anon_test.web', 'became it', true);
	EXCEPTION WHEN insufficient_privilege THEN
		PERFORM set_config('anon_test.web', 'refused', true);
	END;
	BEGIN
		EXECUTE format('SET LOCAL ROLE %I', (SELECT pg_get_userbyid(
		    relowner) FROM pg_class WHERE oid = 'units'::regclass));
		PERFORM set_config('anon_test.owner', 'became it', true);
	EXCEPTION WHEN insufficient_privilege THEN
		PERFORM set_config('anon_test.owner', 'refused', true);
	END;
END
$$;
RESET SESSION AUTHORIZATION;
SELECT is(current_setting('anon_test.web'), 'refused',
    'holding chapterhouse_anon alone: SET ROLE chapterhouse_web refused');
SELECT is(current_setting('anon_test.owner'), 'refused',
    'and SET ROLE to the schema owner refused');

SELECT * FROM finish();
ROLLBACK;
