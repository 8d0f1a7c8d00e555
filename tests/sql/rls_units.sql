-- rls_units.sql: pgTAP proof that row-level security isolates units.
--
-- Run by tests/integration/test_rls.py as the superuser of a throwaway
-- cluster, inside one transaction that is rolled back.  Fixtures are made
-- as the superuser; every check then runs as chapterhouse_web (the role
-- the application acts as) with the acting person set the way the
-- session lookup sets it.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(36);

-- People: ann (unit A owner), bob (unit B owner), gus (guest of A, expired),
-- ida (hub admin), rex (requester of unit R, not yet approved).
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('bob@t', 'Bob', '!'), ('gus@t', 'Gus', '!'),
    ('ida@t', 'Ida', '!'), ('rex@t', 'Rex', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS
    SELECT (SELECT id FROM people WHERE email = 'ann@t') AS ann,
	   (SELECT id FROM people WHERE email = 'bob@t') AS bob,
	   (SELECT id FROM people WHERE email = 'gus@t') AS gus,
	   (SELECT id FROM people WHERE email = 'ida@t') AS ida,
	   (SELECT id FROM people WHERE email = 'rex@t') AS rex;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob FROM ids
    UNION ALL SELECT 'unit-r', 'R', 'other', 'p', 'a', 'requested', rex FROM ids
    UNION ALL SELECT 'unit-s', 'S', 'other', 'p', 'a', 'suspended', bob FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN r bigint,
    ADD COLUMN s bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    r = (SELECT id FROM units WHERE slug = 'unit-r'),
    s = (SELECT id FROM units WHERE slug = 'unit-s');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, ann, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT b, bob, 'owner', NULL FROM ids
    UNION ALL SELECT s, bob, 'owner', NULL FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- The application's role cannot bypass row-level security.
SELECT is((SELECT rolbypassrls OR rolsuper FROM pg_roles
    WHERE rolname = 'chapterhouse_web'), false,
    'chapterhouse_web neither bypasses RLS nor is superuser');
SELECT is((SELECT count(*)::int FROM pg_class WHERE relname IN ('units',
    'unit_members') AND relrowsecurity AND relforcerowsecurity), 2,
    'RLS is enabled and forced on units and unit_members');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON
    r.oid = c.relowner WHERE r.rolname = 'chapterhouse_web'), 0,
    'chapterhouse_web owns no relation');

SET LOCAL ROLE chapterhouse_web;

-- ann, member of A
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT b FROM ids)), 0, 'a member of A reads 0 member rows of B');
SELECT is((SELECT count(*)::int FROM unit_members), 2,
    'a member of A reads only A''s member rows');
SELECT is((SELECT count(*)::int FROM units WHERE id = (SELECT s FROM ids)), 0,
    'a member of A does not see B''s suspended unit');
SELECT is((SELECT count(*)::int FROM units WHERE id = (SELECT r FROM ids)), 0,
    'nor a unit someone else requested');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT b, ann, 'owner' FROM ids$$, '42501', NULL,
    'a member of A cannot add members to B');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT s, ann, 'author' FROM ids$$, '42501', NULL,
    'nor to a unit of B''s it cannot see');
WITH u AS (UPDATE units SET name = 'hacked' WHERE id =
    (SELECT b FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'a member of A cannot update B') FROM u;
WITH u AS (UPDATE unit_members SET role = 'author' WHERE unit_id =
    (SELECT b FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'nor B''s members') FROM u;
WITH d AS (DELETE FROM unit_members WHERE unit_id =
    (SELECT b FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'nor delete B''s members') FROM d;
SELECT throws_ok($$DELETE FROM units WHERE id = (SELECT a FROM ids)$$,
    '42501', NULL, 'nobody deletes a unit, not even its owner');
WITH u AS (UPDATE units SET name = 'A2' WHERE id =
    (SELECT a FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'the owner of A updates A') FROM u;
SELECT lives_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, rex, 'author' FROM ids$$, 'the owner of A adds a member');

-- gus: a guest of A whose access expired
SELECT pg_temp.act((SELECT gus FROM ids), '');
SELECT is((SELECT count(*)::int FROM unit_members), 0,
    'an expired guest reads no member rows');
SELECT is((SELECT count(*)::int FROM units WHERE state <> 'approved'), 0,
    'and only public units');
WITH d AS (DELETE FROM unit_members WHERE person_id =
    (SELECT gus FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'an expired guest cannot reach even their own membership') FROM d;

-- rex: requested R, is author in A (added above)
SELECT pg_temp.act((SELECT rex FROM ids), '');
SELECT is((SELECT count(*)::int FROM units WHERE id = (SELECT r FROM ids)), 1,
    'the requester sees the unit they requested');
SELECT lives_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT r, rex, 'owner' FROM ids$$,
    'the requester adds themselves as its first owner');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT b, rex, 'owner' FROM ids$$, '42501', NULL,
    'but not to a unit they did not request');
SELECT throws_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    requested_by) SELECT 'unit-x', 'X', 'other', 'p', 'a', bob FROM ids$$,
    '42501', NULL, 'a request cannot be made in someone else''s name');
SELECT lives_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    requested_by) SELECT 'unit-y', 'Y', 'other', 'p', 'a', rex FROM ids$$,
    'a request in one''s own name is accepted');
SELECT throws_ok($$UPDATE units SET requested_by = (SELECT bob FROM ids)
    WHERE slug = 'unit-y'$$, '42501', NULL,
    'an update cannot move a unit out of one''s reach (WITH CHECK)');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT a FROM ids)), 3, 'an author of A reads A''s members');
WITH u AS (UPDATE unit_members SET role = 'owner' WHERE unit_id =
    (SELECT a FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'an author cannot change roles') FROM u;

WITH d AS (DELETE FROM unit_members WHERE person_id = (SELECT rex FROM ids)
    AND unit_id = (SELECT a FROM ids) RETURNING 1)
    SELECT is(count(*)::int, 1, 'a member may leave a unit') FROM d;

-- anonymous
SELECT pg_temp.act(NULL, '');
SELECT is((SELECT count(*)::int FROM unit_members), 0,
    'an anonymous request reads no member rows');
SELECT is((SELECT string_agg(slug, ',' ORDER BY slug) FROM units),
    'unit-a,unit-b', 'an anonymous request sees only approved units');
SELECT throws_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    requested_by) SELECT 'unit-z', 'Z', 'other', 'p', 'a', ann FROM ids$$,
    '42501', NULL, 'an anonymous request cannot request a unit');
WITH u AS (UPDATE units SET name = 'x' RETURNING 1)
    SELECT is(count(*)::int, 0, 'nor update one') FROM u;

-- hub roles
SELECT pg_temp.act((SELECT ida FROM ids), 'hr');
SELECT is((SELECT count(*)::int FROM units), 5, 'hub HR sees every unit');
WITH u AS (UPDATE units SET name = 'x' RETURNING 1)
    SELECT is(count(*)::int, 0, 'but changes none') FROM u;
SELECT pg_temp.act((SELECT ida FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM unit_members), 5,
    'a hub admin sees every membership');
WITH u AS (UPDATE units SET state = 'suspended' WHERE id =
    (SELECT b FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'a hub admin can change any unit') FROM u;
SELECT pg_temp.act((SELECT ida FROM ids), 'administrator,hrx');
SELECT is((SELECT string_agg(slug, ',') FROM units), 'unit-a',
    'role names match whole, not by prefix');

SELECT * FROM finish();
ROLLBACK;
