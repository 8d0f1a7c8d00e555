-- rls_decisions.sql: pgTAP proof that decisions, invitations and the
-- audit log are isolated by row-level security, and that an invitation
-- is accepted only through its token, once, before it expires.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(23);

INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('bob@t', 'Bob', '!'), ('ida@t', 'Ida', '!'),
    ('new@t', 'New', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'ida@t') AS ida,
    (SELECT id FROM people WHERE email = 'new@t') AS new;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'requested', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'requested', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, ann, 'owner' FROM ids UNION ALL SELECT b, bob, 'owner' FROM ids;
INSERT INTO unit_decisions (unit_id, decision, reason, decided_by, snapshot)
    SELECT a, 'request_changes', 'why A', ida, '{}'::jsonb FROM ids
    UNION ALL SELECT b, 'request_changes', 'why B', ida, '{}' FROM ids;
INSERT INTO invitations (token_hash, unit_id, email, role, invited_by,
    expires_at)
    SELECT sha256('tok-a'), a, 'NEW@t', 'author', ann, now() + interval '1 day'
    FROM ids
    UNION ALL SELECT sha256('tok-b'), b, 'y@t', 'editor', bob,
    now() + interval '1 day' FROM ids
    UNION ALL SELECT sha256('tok-old'), a, 'z@t', 'author', ann,
    now() - interval '1 second' FROM ids;
INSERT INTO audit_log (actor_id, action, object_type, object_id, unit_id)
    SELECT ann, 'unit.request', 'unit', 'unit-a', a FROM ids
    UNION ALL SELECT bob, 'unit.request', 'unit', 'unit-b', b FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

SELECT is((SELECT count(*)::int FROM pg_class WHERE relname IN
    ('unit_decisions', 'invitations', 'audit_log') AND relrowsecurity
    AND relforcerowsecurity), 3,
    'RLS is enabled and forced on decisions, invitations and the audit log');

SET LOCAL ROLE chapterhouse_web;

SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT string_agg(reason, ',') FROM unit_decisions), 'why A',
    'a member of A reads A''s decisions and not B''s');
SELECT throws_ok($$INSERT INTO unit_decisions (unit_id, decision,
    decided_by, snapshot) SELECT b, 'approve', ann, '{}' FROM ids$$,
    '42501', NULL, 'a non-admin cannot record a decision');
SELECT is((SELECT string_agg(email, ',' ORDER BY email) FROM invitations),
    'NEW@t,z@t', 'the owner of A reads A''s invitations and not B''s');
SELECT throws_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t2'), b, 'q@t', 'owner', ann,
    now() + interval '1 day' FROM ids$$, '42501', NULL,
    'the owner of A cannot invite to B');
SELECT throws_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t3'), a, 'q@t', 'owner', bob,
    now() + interval '1 day' FROM ids$$, '42501', NULL,
    'nor in someone else''s name');
SELECT is((SELECT count(*)::int FROM audit_log), 0,
    'a person without the admin role reads no audit row');
SELECT throws_ok($$INSERT INTO audit_log (actor_id, action, object_type,
    object_id) SELECT bob, 'x', 'unit', 'u' FROM ids$$, '42501', NULL,
    'an audit row cannot be written in someone else''s name');
SELECT lives_ok($$INSERT INTO audit_log (actor_id, action, object_type,
    object_id) SELECT ann, 'x', 'unit', 'u' FROM ids$$,
    'an audit row is written in one''s own name');
SELECT throws_ok($$UPDATE audit_log SET action = 'y'$$, '42501', NULL,
    'audit rows cannot be updated');
SELECT throws_ok($$DELETE FROM invitations$$, '42501', NULL,
    'invitations cannot be deleted');

-- the invitee: not a member, sees no invitation, accepts by token only
SELECT pg_temp.act((SELECT new FROM ids), '');
SELECT is((SELECT count(*)::int FROM invitations), 0,
    'an invitee reads no invitation');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('nope'))),
    0, 'an unknown token accepts nothing');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('tok-old'))),
    0, 'an expired invitation accepts nothing');
SELECT is((SELECT slug || ' ' || role FROM ch_accept_invitation(
    sha256('tok-a'))), 'unit-a author',
    'the token accepts its invitation for the address it was sent to, '
    'whatever its case');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT a FROM ids)), 2, 'the invitee is now a member of A');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('tok-a'))),
    0, 'a used invitation accepts nothing');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT b FROM ids)), 0, 'and the new member still sees nothing of B');

SELECT pg_temp.act(NULL, '');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('tok-b'))),
    0, 'an anonymous request accepts nothing');
SELECT is((SELECT count(*)::int FROM unit_decisions) +
    (SELECT count(*)::int FROM invitations) +
    (SELECT count(*)::int FROM audit_log), 0,
    'an anonymous request reads no decision, invitation or audit row');

SELECT pg_temp.act((SELECT ida FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM unit_decisions), 2,
    'a hub admin reads every decision');
SELECT is((SELECT count(*)::int FROM invitations), 3,
    'and every invitation');
SELECT is((SELECT count(*)::int FROM audit_log), 3,
    'and the whole audit log');

SELECT * FROM finish();
ROLLBACK;
