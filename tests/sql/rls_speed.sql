-- rls_speed.sql: pgTAP proof of sql/013_rls_speed.sql.  The caller's
-- units come from unit_members and units only, never from a setting the
-- web role could make by hand; each definer function runs at most once
-- per statement, not at all for an anonymous caller, a hub role or one's
-- own memberships; the read policies ask no set-returning function.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(31);

-- ann owns A, bob owns B, gus was a guest of A (expired), ida is a hub
-- admin, del owns the approved region P, rex requested R under P.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('bob@t', 'Bob', '!'), ('gus@t', 'Gus', '!'),
    ('ida@t', 'Ida', '!'), ('del@t', 'Del', '!'), ('rex@t', 'Rex', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'ida@t') AS ida,
    (SELECT id FROM people WHERE email = 'del@t') AS del,
    (SELECT id FROM people WHERE email = 'rex@t') AS rex;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'suspended', bob
    FROM ids
    UNION ALL SELECT 'unit-p', 'P', 'regional_market', 'p', 'a', 'approved',
    del FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by,
    parent_id)
    SELECT 'unit-r', 'R', 'chapter', 'p', 'a', 'requested', rex,
    (SELECT id FROM units WHERE slug = 'unit-p') FROM ids;
-- Twenty requests nobody here may see, so a per-row call would show.
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'hidden-' || g, 'H', 'other', 'p', 'a', 'requested', rex
    FROM ids, generate_series(1, 20) g;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN p bigint,
    ADD COLUMN r bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    p = (SELECT id FROM units WHERE slug = 'unit-p'),
    r = (SELECT id FROM units WHERE slug = 'unit-r');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, ann, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT b, bob, 'owner', NULL FROM ids
    UNION ALL SELECT p, del, 'owner', NULL FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, rex, 'owner' FROM ids, units u
    WHERE u.slug LIKE 'hidden-%' OR u.slug = 'unit-r';
INSERT INTO unit_decisions (unit_id, decision, reason, decided_by, snapshot)
    SELECT u.id, 'approve', 'ok', ida, '{}' FROM ids, units u;
INSERT INTO screening_questions (prompt) VALUES ('Why?');
INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT u.id, q.id, 'because' FROM units u, screening_questions q
    WHERE q.prompt = 'Why?';
INSERT INTO invitations (token_hash, unit_id, email, role, invited_by,
    expires_at)
    SELECT sha256(u.slug::bytea), u.id, 'x' || u.id || '@t', 'author',
    u.requested_by, now() + interval '1 day' FROM units u;
UPDATE approval_policy SET delegate = true;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- Calls of the definer functions that compute a caller's units, so far
-- in this transaction, and how many one statement made.
SET LOCAL track_functions = 'pl';
CREATE FUNCTION pg_temp.calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_xact_user_functions
	WHERE funcname IN ('ch_unit_ids', 'ch_owned_unit_ids',
	    'ch_delegated_unit_ids') AND schemaname = 'public'
$$;
CREATE FUNCTION pg_temp.calls_of(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	before	bigint := pg_temp.calls();
BEGIN
	EXECUTE q;
	RETURN pg_temp.calls() - before;
END
$$;

-- -- what the functions compute ----------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(ch_unit_ids(), ARRAY[(SELECT a FROM ids)],
    'ch_unit_ids: the units one belongs to');
SELECT is(ch_owned_unit_ids(), ARRAY[(SELECT a FROM ids)],
    'ch_owned_unit_ids: the units one owns');
SELECT pg_temp.act((SELECT gus FROM ids), '');
SELECT is(ch_unit_ids(), '{}'::bigint[],
    'ch_unit_ids: an expired guest belongs to nothing');
SELECT pg_temp.act(NULL, '');
SELECT is(ch_unit_ids() || ch_owned_unit_ids() || ch_delegated_unit_ids(),
    '{}'::bigint[], 'nobody acting: no unit at all');
SELECT pg_temp.act((SELECT del FROM ids), '');
SELECT is(ch_delegated_unit_ids(), ARRAY[(SELECT r FROM ids)],
    'ch_delegated_unit_ids: the request under the unit one owns');
SELECT is(ARRAY(SELECT ch_delegated_units()), ARRAY[(SELECT r FROM ids)],
    'ch_delegated_units() still answers the same');
SELECT ok(ch_may_decide((SELECT r FROM ids))
    AND NOT ch_may_decide((SELECT b FROM ids)),
    'ch_may_decide: the delegate decides the request under their unit only');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-r'), 1,
    'the delegate sees the request');
RESET ROLE;
UPDATE approval_policy SET delegate = false;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT del FROM ids), '');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-r'), 0,
    'and no longer once the policy stops delegating');
RESET ROLE;
UPDATE approval_policy SET delegate = true;
SET LOCAL ROLE chapterhouse_web;

-- -- settings made by hand grant nothing --------------------------------
-- Whatever a caller (or an injected statement) sets besides who acts, the
-- units come from unit_members: no setting lists them.
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT set_config(n, (SELECT b FROM ids)::text, true),
       set_config(n, (SELECT '{' || b || '}' FROM ids), true)
    FROM unnest(ARRAY['chapterhouse.units', 'chapterhouse.unit_ids',
    'chapterhouse.owned_units', 'chapterhouse.delegated_units',
    'chapterhouse.acl', 'chapterhouse.memberships']) n;
SELECT is(ch_unit_ids() || ch_owned_unit_ids() || ch_delegated_unit_ids(),
    ARRAY[(SELECT a FROM ids), (SELECT a FROM ids)],
    'settings naming unit B change none of the functions');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-b'), 0,
    'a unit named in a setting stays unseen');
SELECT is((SELECT count(*)::int FROM unit_members
    WHERE unit_id = (SELECT b FROM ids)), 0, 'and its members');
SELECT is((SELECT count(*)::int FROM unit_decisions
    WHERE unit_id = (SELECT b FROM ids)), 0, 'and its decisions');
SELECT is((SELECT count(*)::int FROM invitations
    WHERE unit_id = (SELECT b FROM ids)), 0, 'and its invitations');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-b'
    AND ch_may_decide(id)), 0, 'and nobody decides it by a setting');
SELECT is((SELECT string_agg(p.proname, ',') FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
    AND p.prosrc ~ 'current_setting\(''chapterhouse\.(?!person''|hub_roles''|clock'')'),
    NULL, 'no function reads a chapterhouse setting but person, hub_roles and '
    'the clock (which grants nothing: tests/sql/training_pages.sql)');

-- -- how often the functions run ----------------------------------------
SELECT pg_temp.act(NULL, '');
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM units$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_members$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_decisions$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_answers$$)
    + pg_temp.calls_of($$SELECT count(*) FROM invitations$$)
    + pg_temp.calls_of($$SELECT count(*) FILTER (WHERE ch_may_decide(id))
	FROM units$$), 0::bigint,
    'anonymous: no function is called for any tenant table');
SELECT is((SELECT count(*)::int FROM units), 2,
    'anonymous: the approved units only');
SELECT pg_temp.act((SELECT ida FROM ids), 'admin');
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM units$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_members$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_decisions$$)
    + pg_temp.calls_of($$SELECT count(*) FROM unit_answers$$)
    + pg_temp.calls_of($$SELECT count(*) FROM invitations$$)
    + pg_temp.calls_of($$SELECT count(*) FILTER (WHERE ch_may_decide(id))
	FROM units$$), 0::bigint,
    'a hub admin: no function is called either');
SELECT pg_temp.act((SELECT ann FROM ids), '');
-- (by index, as on a real table, so that only one's own rows are read)
SET LOCAL enable_seqscan = off;
SELECT is(pg_temp.calls_of(format($$SELECT count(*) FROM unit_members m
    WHERE m.person_id = %s$$, (SELECT ann FROM ids))), 0::bigint,
    'one''s own memberships need no function');
SELECT is(pg_temp.calls_of(format($$SELECT count(*) FROM unit_members m
    JOIN units u ON u.id = m.unit_id WHERE m.person_id = %s$$,
    (SELECT ann FROM ids))), 0::bigint,
    'nor one''s approved units with them');
RESET enable_seqscan;
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM units$$), 2::bigint,
    'a member reading 24 units: each function once, not per row');
-- The decisions', answers' and members' own units come from the view
-- ch_unit_reach (045_unit_reach.sql): only the delegated units are a
-- function call there.
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM unit_decisions$$),
    1::bigint, 'reading every decision: each function once');
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM unit_answers$$),
    1::bigint, 'reading every answer: each function once');
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM invitations$$),
    1::bigint, 'reading every invitation: the owned units once');
SELECT is(pg_temp.calls_of($$SELECT count(*) FROM unit_members$$),
    0::bigint, 'reading every membership: the units once, by the view');
SELECT is((SELECT count(*)::int FROM units), 2,
    'and the member still sees only the approved units, theirs among them');
SELECT pg_temp.act((SELECT rex FROM ids), '');
SELECT is((SELECT count(*)::int FROM units), 23,
    'the requester sees their 21 requests too');
SELECT pg_temp.act((SELECT gus FROM ids), '');
SELECT is((SELECT count(*)::int FROM unit_members), 0,
    'an expired guest sees no membership, their own included');
RESET ROLE;

-- -- the policies' shape -------------------------------------------------
SELECT is((SELECT string_agg(tablename || '.' || policyname, ',' ORDER BY
    tablename, policyname) FROM pg_policies WHERE cmd = 'SELECT'
    AND 'chapterhouse_web' = ANY (roles)
    AND qual ~ 'ch_my_units|ch_my_owned_units|ch_delegated_units\('), NULL,
    'no read policy asks a set-returning function');
SELECT is((SELECT string_agg(tablename || '.' || policyname, ',' ORDER BY
    tablename, policyname) FROM pg_policies
    WHERE 'chapterhouse_web' = ANY (roles)
    AND (coalesce(qual, '') || coalesce(with_check, '')) ~
    '(?<!SELECT )ch_(unit_ids|owned_unit_ids|delegated_unit_ids)\(\)'),
    NULL, 'every policy asks the arrays as a subquery (once per statement)');

SELECT * FROM finish();
ROLLBACK;
