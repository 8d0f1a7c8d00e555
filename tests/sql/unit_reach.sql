-- unit_reach.sql: pgTAP proof of sql/045_unit_reach.sql.  The read
-- policies of a unit's members, decisions and answers ask the view
-- ch_unit_reach instead of the definer ch_unit_ids(), and let through
-- exactly what they did: a unit's current members (any state), the
-- delegated approver of a request, the hub's roles; not a member of
-- another unit, a removed member, an expired guest, a stranger or
-- nobody.  Reading them as a member calls no definer function; settings
-- made by hand widen nothing; the web role may read the view (its own
-- memberships) but not change it.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(24);

-- ann owns A (approved) and B (suspended), eve edits A, gus was a guest
-- of A (expired), rex was an author of A (removed), bob owns C; del owns
-- the approved region P, under which R (requested by bob) waits; hal is
-- a hub admin, hugo HR; stan is nobody's member.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('gus@t', 'Gus', '!'),
    ('rex@t', 'Rex', '!'), ('bob@t', 'Bob', '!'), ('del@t', 'Del', '!'),
    ('hal@t', 'Hal', '!'), ('hugo@t', 'Hugo', '!'), ('stan@t', 'Stan', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'rex@t') AS rex,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'del@t') AS del,
    (SELECT id FROM people WHERE email = 'hal@t') AS hal,
    (SELECT id FROM people WHERE email = 'hugo@t') AS hugo,
    (SELECT id FROM people WHERE email = 'stan@t') AS stan;
INSERT INTO hub_roles (person_id, role)
    SELECT hal, 'admin' FROM ids UNION ALL SELECT hugo, 'hr' FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'suspended', ann
    FROM ids
    UNION ALL SELECT 'unit-c', 'C', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-p', 'P', 'regional_market', 'p', 'a',
    'approved', del FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by,
    parent_id)
    SELECT 'unit-r', 'R', 'chapter', 'p', 'a', 'requested', bob,
    (SELECT id FROM units WHERE slug = 'unit-p') FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN c bigint,
    ADD COLUMN p bigint, ADD COLUMN r bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    c = (SELECT id FROM units WHERE slug = 'unit-c'),
    p = (SELECT id FROM units WHERE slug = 'unit-p'),
    r = (SELECT id FROM units WHERE slug = 'unit-r');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, ann, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT b, ann, 'owner', NULL FROM ids
    UNION ALL SELECT a, eve, 'editor', NULL FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids
    UNION ALL SELECT a, rex, 'author', NULL FROM ids
    UNION ALL SELECT c, bob, 'owner', NULL FROM ids
    UNION ALL SELECT r, bob, 'owner', NULL FROM ids
    UNION ALL SELECT p, del, 'owner', NULL FROM ids;
INSERT INTO unit_decisions (unit_id, decision, reason, decided_by, snapshot)
    SELECT u.id, 'approve', 'ok', hal, '{}' FROM ids, units u
    WHERE u.id IN (a, b, c, r);
INSERT INTO screening_questions (prompt) VALUES ('Why?');
INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT u.id, q.id, 'because' FROM ids, units u, screening_questions q
    WHERE q.prompt = 'Why?' AND u.id IN (a, b, c, r);
UPDATE approval_policy SET delegate = true;
DELETE FROM unit_members WHERE person_id = (SELECT rex FROM ids);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
-- The units (by letter) whose rows the caller sees: members, decisions,
-- answers.
CREATE FUNCTION pg_temp.seen() RETURNS text LANGUAGE sql AS $$
	WITH n (id, l) AS (SELECT a, 'A' FROM ids UNION ALL
	    SELECT b, 'B' FROM ids UNION ALL SELECT c, 'C' FROM ids UNION ALL
	    SELECT p, 'P' FROM ids UNION ALL SELECT r, 'R' FROM ids)
	SELECT concat_ws(' ',
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM unit_members x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM unit_decisions x JOIN n ON n.id = x.unit_id),
	    (SELECT coalesce(string_agg(DISTINCT l, ''), '-')
		FROM unit_answers x JOIN n ON n.id = x.unit_id))
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
    FROM pg_class c WHERE c.oid = 'ch_unit_reach'::regclass),
    'ch_unit_reach is a view of the owner of unit_members, read as its '
    'owner');
SELECT ok(has_table_privilege('chapterhouse_web', 'ch_unit_reach', 'SELECT')
    AND NOT has_table_privilege('chapterhouse_web', 'ch_unit_reach',
    'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
    AND NOT has_table_privilege('chapterhouse_anon', 'ch_unit_reach',
    'SELECT')
    AND NOT pg_has_role('chapterhouse_web', (SELECT relowner FROM pg_class
    WHERE oid = 'ch_unit_reach'::regclass), 'USAGE'),
    'the web role may read the view, nothing more, and is not its owner; '
    'the anonymous role may not read it');
SELECT is((SELECT string_agg(tablename, ',' ORDER BY tablename)
    FROM pg_policies WHERE policyname = tablename || '_read'
    AND qual ~ 'ch_unit_reach' AND qual !~ 'ch_unit_ids'),
    'unit_answers,unit_decisions,unit_members',
    'three read policies ask the view and not ch_unit_ids()');

-- -- who reads what: members decisions answers ------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT is(pg_temp.seen_by((SELECT ann FROM ids), ''), 'AB AB AB',
    'the owner of A and B reads both, B suspended included');
SELECT is(pg_temp.seen_by((SELECT eve FROM ids), ''), 'A A A',
    'an editor of A reads A only');
SELECT is(pg_temp.seen_by((SELECT gus FROM ids), ''), '- - -',
    'an expired guest reads nothing');
SELECT is(pg_temp.seen_by((SELECT rex FROM ids), ''), '- - -',
    'a removed member reads nothing');
SELECT is(pg_temp.seen_by((SELECT bob FROM ids), ''), 'CR CR CR',
    'a member of other units reads only their own');
SELECT is(pg_temp.seen_by((SELECT del FROM ids), ''), 'P R R',
    'the delegated approver of R reads its decisions and answers, not its '
    'members');
SELECT is(pg_temp.seen_by((SELECT stan FROM ids), ''), '- - -',
    'a stranger reads nothing');
SELECT is(pg_temp.seen_by(NULL, ''), '- - -', 'nobody acting reads nothing');
SELECT is(pg_temp.seen_by((SELECT hal FROM ids), 'admin'),
    'ABCPR ABCR ABCR', 'a hub admin reads every unit');
SELECT is(pg_temp.seen_by((SELECT hugo FROM ids), 'hr'),
    'ABCPR ABCR ABCR', 'hub HR reads every unit, as before');
RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$SELECT count(*) FROM unit_members$$, '42501', NULL,
    'the anonymous role may not read the members');
SELECT throws_ok($$SELECT units FROM ch_unit_reach$$, '42501', NULL,
    'nor the view');
RESET ROLE;

-- -- no definer call for a member -------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.definer_calls_of('SELECT count(*) FROM unit_members '
    'm JOIN unit_decisions d USING (unit_id) JOIN unit_answers a '
    'USING (unit_id) WHERE m.unit_id = (SELECT a FROM ids)'), 0::bigint,
    'a member reads their unit''s members, decisions and answers: no '
    'definer call');
SELECT is(pg_temp.definer_calls_of('SELECT count(*) FROM unit_decisions'),
    1::bigint, 'every decision: only the delegated units, once');

-- -- what the web role cannot do to widen it ------------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT units FROM ch_unit_reach ORDER BY 1),
    (SELECT units FROM ch_unit_reach), 'the view is one row');
SELECT is((SELECT ARRAY(SELECT unnest(units) ORDER BY 1) FROM ch_unit_reach),
    (SELECT ARRAY(SELECT x FROM unnest(ARRAY[c, r]) x ORDER BY 1) FROM ids),
    'the view shows the caller their own units');
SELECT is((SELECT count(*)::int FROM (SELECT set_config(n, (SELECT
    format('{%s,%s}', a, b) FROM ids), true) FROM unnest(ARRAY[
    'chapterhouse.units', 'chapterhouse.unit_ids', 'chapterhouse.reach',
    'chapterhouse.unit_reach', 'chapterhouse.memberships']) n) x), 5,
    'five settings name A and B');
SELECT is(pg_temp.seen(), 'CR CR CR',
    'settings naming A and B let bob read nothing of them');
SELECT throws_ok($$INSERT INTO ch_unit_reach VALUES ('{1}')$$, '55000',
    NULL, 'the web role cannot write the view (it is not updatable)');
SELECT throws_ok($$CREATE OR REPLACE VIEW ch_unit_reach (units) AS
    SELECT NULL::bigint[]$$, '42501', NULL, 'nor replace it');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, bob, 'owner' FROM ids$$, '42501', NULL,
    'nor make bob a member of A');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
