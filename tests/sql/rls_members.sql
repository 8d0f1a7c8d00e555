-- rls_members.sql: pgTAP proof of managing members (sql/006_members.sql
-- with the policies of 003_units.sql): a unit always keeps an owner,
-- whoever acts; only owners and hub admins change roles, within their
-- units; anyone may leave, unless they are the last owner; the web role
-- changes only a membership's role and last day; guests have a last day.
-- Two owners demoting each other at once is tested over real
-- connections by tests/integration/test_members.py.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(29);

-- ann owns A, with eve (editor), gil and hal (authors); bob owns B;
-- cy owns C alone; ida is a hub admin.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('bob@t', 'Bob', '!'), ('eve@t', 'Eve', '!'),
    ('gil@t', 'Gil', '!'), ('hal@t', 'Hal', '!'), ('cy@t', 'Cy', '!'),
    ('ida@t', 'Ida', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'gil@t') AS gil,
    (SELECT id FROM people WHERE email = 'hal@t') AS hal,
    (SELECT id FROM people WHERE email = 'cy@t') AS cy,
    (SELECT id FROM people WHERE email = 'ida@t') AS ida;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-c', 'C', 'chapter', 'p', 'a', 'requested', cy
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN c bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    c = (SELECT id FROM units WHERE slug = 'unit-c');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, ann, 'owner' FROM ids UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT a, gil, 'author' FROM ids
    UNION ALL SELECT a, hal, 'author' FROM ids
    UNION ALL SELECT b, bob, 'owner' FROM ids
    UNION ALL SELECT c, cy, 'owner' FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

SELECT has_trigger('unit_members', 'unit_members_keep_owner',
    'unit_members has the last-owner trigger');
SELECT is(has_table_privilege('chapterhouse_web', 'unit_members', 'UPDATE'),
    false, 'the web role may not update whole memberships');
SELECT ok(has_column_privilege('chapterhouse_web', 'unit_members', 'role',
    'UPDATE') AND has_column_privilege('chapterhouse_web', 'unit_members',
    'expires_at', 'UPDATE'), 'only their role and last day');

SET LOCAL ROLE chapterhouse_web;

-- eve, an editor of A
SELECT pg_temp.act((SELECT eve FROM ids), '');
WITH u AS (UPDATE unit_members SET role = 'owner' WHERE person_id =
    (SELECT gil FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'an editor cannot change roles in their own unit') FROM u;
WITH u AS (UPDATE unit_members SET role = 'owner' WHERE person_id =
    (SELECT eve FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'nor their own') FROM u;
WITH d AS (DELETE FROM unit_members WHERE person_id = (SELECT gil FROM ids)
    RETURNING 1) SELECT is(count(*)::int, 0,
    'nor remove another member') FROM d;

-- ann, the only owner of A
SELECT pg_temp.act((SELECT ann FROM ids), '');
WITH u AS (UPDATE unit_members SET role = 'author' WHERE unit_id =
    (SELECT b FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'the owner of A cannot change a membership of B') FROM u;
WITH d AS (DELETE FROM unit_members WHERE unit_id = (SELECT b FROM ids)
    RETURNING 1) SELECT is(count(*)::int, 0,
    'nor delete one') FROM d;
SELECT throws_ok($$UPDATE unit_members SET person_id = (SELECT bob FROM ids)
    WHERE person_id = (SELECT gil FROM ids)$$, '42501', NULL,
    'nor give a membership to someone else');
SELECT throws_ok($$UPDATE unit_members SET unit_id = (SELECT b FROM ids)
    WHERE person_id = (SELECT gil FROM ids)$$, '42501', NULL,
    'nor move it to another unit');
SELECT throws_ok($$UPDATE unit_members SET role = 'editor'
    WHERE person_id = (SELECT ann FROM ids)$$, 'CH409',
    'a unit must keep at least one owner',
    'the last owner cannot demote themself');
SELECT throws_ok($$UPDATE unit_members SET role = 'guest',
    expires_at = now() + interval '1 day'
    WHERE person_id = (SELECT ann FROM ids)$$, 'CH409', NULL,
    'nor become a guest');
SELECT throws_ok($$DELETE FROM unit_members
    WHERE person_id = (SELECT ann FROM ids)$$, 'CH409', NULL,
    'nor leave');
SELECT throws_ok($$UPDATE unit_members SET role = 'guest'
    WHERE person_id = (SELECT hal FROM ids)$$, '23514', NULL,
    'a guest needs a last day');
WITH u AS (UPDATE unit_members SET role = 'guest', expires_at = now() +
    interval '1 day' WHERE person_id = (SELECT hal FROM ids) RETURNING 1)
    SELECT is(count(*)::int, 1, 'the owner makes a member a guest with '
    'a last day') FROM u;
WITH u AS (UPDATE unit_members SET role = 'owner' WHERE person_id =
    (SELECT eve FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'the owner makes the editor an owner') FROM u;
WITH u AS (UPDATE unit_members SET role = 'editor' WHERE person_id =
    (SELECT ann FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'and, no longer the last owner, steps down') FROM u;
WITH u AS (UPDATE unit_members SET role = 'author' WHERE person_id =
    (SELECT eve FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'a former owner changes roles no more') FROM u;

-- gil, an author of A
SELECT pg_temp.act((SELECT gil FROM ids), '');
WITH d AS (DELETE FROM unit_members WHERE person_id = (SELECT gil FROM ids)
    RETURNING 1) SELECT is(count(*)::int, 1,
    'a member deletes their own membership (leaves)') FROM d;

-- ann, now an editor of A
SELECT pg_temp.act((SELECT ann FROM ids), '');
WITH d AS (DELETE FROM unit_members WHERE person_id = (SELECT ann FROM ids)
    RETURNING 1) SELECT is(count(*)::int, 1,
    'and so does a former owner') FROM d;

-- eve, the last owner of A
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT throws_ok($$DELETE FROM unit_members
    WHERE person_id = (SELECT eve FROM ids)$$, 'CH409', NULL,
    'but not the last owner');
SELECT throws_ok($$DELETE FROM unit_members
    WHERE unit_id = (SELECT a FROM ids)$$, 'CH409', NULL,
    'nor an owner removing everyone at once, themself included');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT a FROM ids)), 2, 'and a refused statement removes nobody');

-- ida, a hub admin
SELECT pg_temp.act((SELECT ida FROM ids), 'admin');
SELECT throws_ok($$DELETE FROM unit_members
    WHERE person_id = (SELECT bob FROM ids)$$, 'CH409', NULL,
    'a hub admin cannot remove a unit''s last owner');
SELECT throws_ok($$UPDATE unit_members SET role = 'author'
    WHERE person_id = (SELECT cy FROM ids)$$, 'CH409', NULL,
    'nor demote one');

-- the superuser: the trigger holds whoever acts
RESET ROLE;
SELECT throws_ok($$DELETE FROM unit_members
    WHERE person_id = (SELECT bob FROM ids)$$, 'CH409', NULL,
    'not even the superuser removes the last owner');
SELECT throws_ok($$DELETE FROM people WHERE email = 'eve@t'$$, 'CH409',
    NULL, 'nor deletes a person who is a unit''s last owner');
SELECT lives_ok($$DELETE FROM units WHERE slug = 'unit-c'$$,
    'a unit deleted as a whole takes its last owner with it');
SELECT is((SELECT count(*)::int FROM unit_members WHERE person_id =
    (SELECT cy FROM ids)), 0, 'so the unit leaves no membership behind');

SELECT * FROM finish();
ROLLBACK;
