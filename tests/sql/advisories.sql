-- advisories.sql: pgTAP proof of sql/037_advisories.sql.  The public
-- (chapterhouse_anon) reads only the current public advisories and
-- writes none; members of approved units read every current one; a
-- stranger signed in reads the current public ones; only hub admins and
-- communicators write, in their own name, and read every advisory; a
-- change moves the confederation's row of public_changes; a day's edge
-- moves the validator.  Run like guidelines.sql (as the superuser,
-- rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL timezone = 'UTC';
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(22);

INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('sus@t', 'Sus', '!'), ('com@t', 'Com', '!'),
    ('adm@t', 'Adm', '!'), ('hr@t', 'Hr', '!'), ('str@t', 'Str', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'sus@t') AS sus,
    (SELECT id FROM people WHERE email = 'com@t') AS com,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'adv-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'adv-s', 'S', 'chapter', 'p', 'a', 'suspended', sus
    FROM ids;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, i.own, 'owner' FROM units u, ids i WHERE u.slug = 'adv-a'
    UNION ALL SELECT u.id, i.sus, 'owner' FROM units u, ids i
    WHERE u.slug = 'adv-s';
-- Current public, current for members, past public, future public.
INSERT INTO hub_advisories (title, body, public, starts_on, ends_on,
    created_by, updated_by)
    SELECT v.t, 'text', v.p, current_date + v.f, current_date + v.u,
    i.com, i.com FROM ids i, (VALUES ('now-public', true, -1, 1),
    ('now-members', false, 0, NULL), ('past-public', true, -9, -2),
    ('future-public', true, 2, 9)) v (t, p, f, u);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
CREATE FUNCTION pg_temp.titles() RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(title, ',' ORDER BY title), '')
	FROM hub_advisories
$$;
CREATE FUNCTION pg_temp.rows(q text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	EXECUTE q;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- -- The public -------------------------------------------------------------
SET LOCAL ROLE chapterhouse_anon;
SELECT is(pg_temp.titles(), 'now-public',
    'the public reads the current public advisory and nothing else');
SELECT throws_ok($$INSERT INTO hub_advisories (title, body, starts_on,
    created_by, updated_by) VALUES ('x', 'x', current_date, 1, 1)$$,
    '42501', NULL, 'the public writes no advisory');
SELECT throws_ok($$UPDATE hub_advisories SET title = 'x'$$, '42501', NULL,
    'nor changes one');
SELECT throws_ok($$DELETE FROM hub_advisories$$, '42501', NULL,
    'nor deletes one');
RESET ROLE;

-- -- Signed in --------------------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(pg_temp.titles(), 'now-members,now-public',
    'a member of an approved unit reads every current advisory');
SELECT pg_temp.act((SELECT sus FROM ids));
SELECT is(pg_temp.titles(), 'now-public',
    'a member of a suspended unit only the current public one');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is(pg_temp.titles(), 'now-public',
    'a stranger signed in only the current public one');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is(pg_temp.titles(), 'now-public',
    'a hub HR person only the current public one');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT is(pg_temp.titles(),
    'future-public,now-members,now-public,past-public',
    'a hub communicator reads every advisory');

-- Writers and the refused.
SELECT pg_temp.act((SELECT own FROM ids));
SELECT throws_ok($$INSERT INTO hub_advisories (title, body, starts_on,
    created_by, updated_by) SELECT 'x', 'x', current_date, own, own
    FROM ids$$, '42501', NULL, 'a unit''s owner writes no advisory');
SELECT is(pg_temp.rows($$UPDATE hub_advisories SET title = 'x'$$), 0,
    'nor changes one it reads');
SELECT is(pg_temp.rows($$DELETE FROM hub_advisories$$), 0,
    'nor deletes one');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT throws_ok($$INSERT INTO hub_advisories (title, body, starts_on,
    created_by, updated_by) SELECT 'x', 'x', current_date, hr, hr
    FROM ids$$, '42501', NULL, 'nor does a hub HR person');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT throws_ok($$INSERT INTO hub_advisories (title, body, starts_on,
    created_by, updated_by) SELECT 'x', 'x', current_date, adm, adm
    FROM ids$$, '42501', NULL,
    'a communicator writes only in their own name');
SELECT lives_ok($$INSERT INTO hub_advisories (title, body, starts_on,
    created_by, updated_by) SELECT 'by-com', 'x', current_date, com, com
    FROM ids$$, 'a communicator adds an advisory');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is(pg_temp.rows($$UPDATE hub_advisories SET body = 'y',
    updated_by = (SELECT adm FROM ids) WHERE title = 'by-com'$$), 1,
    'an admin changes it');
SELECT throws_ok($$UPDATE hub_advisories SET ends_on = starts_on - 1
    WHERE title = 'by-com'$$, '23514', NULL,
    'an advisory ends on or after its first day');
SELECT throws_ok($$INSERT INTO hub_advisories (unit_id, title, body,
    starts_on, created_by, updated_by) SELECT 7, 'x', 'x', current_date,
    adm, adm FROM ids$$, '23514', NULL,
    'advisories are the confederation''s: unit 0');
RESET ROLE;

-- -- The public face's validator ----------------------------------------------
CREATE TEMP TABLE v0 ON COMMIT DROP AS
    SELECT version FROM public_changes WHERE unit_id = 0;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
DELETE FROM hub_advisories WHERE title = 'by-com';
RESET ROLE;
SELECT ok((SELECT c.version > v0.version FROM public_changes c, v0
    WHERE c.unit_id = 0), 'a change moves the confederation''s version');
SELECT is(ch_advisories_edge(), (current_date - 1)::timestamp
    AT TIME ZONE 'UTC', 'the validator''s edge is the latest start or end '
    'passed of a public advisory (here the past one''s end)');
UPDATE hub_advisories SET starts_on = current_date WHERE title = 'now-public';
SELECT is(ch_advisories_edge(), current_date::timestamp AT TIME ZONE 'UTC',
    'a first day that began today is the edge');
SELECT is((SELECT count(*) FROM pg_policies WHERE tablename = 'hub_advisories'
    AND 'chapterhouse_anon' = ANY (roles) AND cmd <> 'SELECT'), 0::bigint,
    'the public has no policy to write');

SELECT * FROM finish();
ROLLBACK;
