-- rls_guards.sql: pgTAP proof of sql/010_unit_guards.sql.  A parent is
-- another, approved unit and not below the unit; a delegate is an owner of
-- the approved parent who neither requested nor owns the request, so a
-- requester cannot get their own request approved through a second
-- account; write rights follow current ownership; a request is inserted
-- as requested; invitations bind to their address, are revoked, die with
-- their inviter's ownership and are limited.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(34);

INSERT INTO people (email, name, password_hash) VALUES
    ('req@t', 'Req', '!'), ('alt@t', 'Alt', '!'), ('pat@t', 'Pat', '!'),
    ('ida@t', 'Ida', '!'), ('inv@t', 'Inv', '!'), ('other@t', 'Oth', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'req@t') AS req,
    (SELECT id FROM people WHERE email = 'alt@t') AS alt,
    (SELECT id FROM people WHERE email = 'pat@t') AS pat,
    (SELECT id FROM people WHERE email = 'ida@t') AS ida,
    (SELECT id FROM people WHERE email = 'inv@t') AS inv,
    (SELECT id FROM people WHERE email = 'other@t') AS oth;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'x', 'X', 'chapter', 'p', 'a', 'requested', req FROM ids
    UNION ALL SELECT 'region', 'R', 'regional_market', 'p', 'a', 'approved',
    pat FROM ids
    UNION ALL SELECT 'waiting', 'W', 'regional_market', 'p', 'a',
    'requested', pat FROM ids
    UNION ALL SELECT 'top', 'T', 'regional_market', 'p', 'a', 'approved',
    pat FROM ids
    UNION ALL SELECT 'mid', 'M', 'regional_market', 'p', 'a', 'approved',
    pat FROM ids;
UPDATE units SET parent_id = (SELECT id FROM units WHERE slug = 'top')
    WHERE slug = 'mid';
ALTER TABLE ids ADD COLUMN x bigint, ADD COLUMN r bigint, ADD COLUMN w bigint;
UPDATE ids SET x = (SELECT id FROM units WHERE slug = 'x'),
    r = (SELECT id FROM units WHERE slug = 'region'),
    w = (SELECT id FROM units WHERE slug = 'waiting');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT x, req, 'owner' FROM ids UNION ALL SELECT x, alt, 'owner' FROM ids
    UNION ALL SELECT r, pat, 'owner' FROM ids
    UNION ALL SELECT w, pat, 'owner' FROM ids;
UPDATE approval_policy SET delegate = true;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- parents, whoever acts
SELECT throws_ok($$UPDATE units SET parent_id = id WHERE slug = 'x'$$,
    'CH422', NULL, 'a unit cannot be its own parent, even for the owner');
SELECT throws_ok($$UPDATE units SET parent_id = (SELECT w FROM ids)
    WHERE slug = 'x'$$, 'CH422', NULL, 'a parent must be approved');
SELECT throws_ok($$UPDATE units SET parent_id = (SELECT id FROM units
    WHERE slug = 'mid') WHERE slug = 'top'$$, 'CH422', NULL,
    'a unit cannot be placed under one of its own units');

SET LOCAL ROLE chapterhouse_web;

-- the issue's case: the second owner of x approves x under x
SELECT pg_temp.act((SELECT req FROM ids), '');
SELECT throws_ok($$UPDATE units SET parent_id = id WHERE slug = 'x'$$,
    'CH409', NULL,
    'the requester cannot change the parent while the request waits');
SELECT pg_temp.act((SELECT alt FROM ids), '');
SELECT throws_ok($$UPDATE units SET state = 'approved' WHERE slug = 'x'$$,
    '42501', NULL, 'and a second owner of the request cannot approve it');

-- a real parent: its owner decides, unless they own the request too
RESET ROLE;
UPDATE units SET parent_id = (SELECT r FROM ids) WHERE slug = 'x';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_delegated_units() d
    WHERE d = (SELECT x FROM ids)), 1,
    'the owner of the approved parent is a delegate of the request');
RESET ROLE;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT x, pat, 'owner' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_delegated_units()), 0,
    'but not once they are an owner of the request itself');
RESET ROLE;
DELETE FROM unit_members WHERE unit_id = (SELECT x FROM ids)
    AND person_id = (SELECT pat FROM ids);
UPDATE units SET state = 'suspended' WHERE slug = 'region';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_delegated_units()), 0,
    'nor while the parent is not approved');
RESET ROLE;
UPDATE units SET state = 'approved' WHERE slug = 'region';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT throws_ok($$UPDATE units SET purpose = 'mine now' WHERE slug = 'x'$$,
    '42501', NULL, 'a delegate decides but does not edit the request');

-- requests are inserted as requested, and only that
SELECT pg_temp.act((SELECT oth FROM ids), '');
SELECT throws_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    state, requested_by) VALUES ('sneaky', 'S', 'chapter', 'p', 'a',
    'approved', ch_person())$$, '42501', NULL,
    'a request cannot be inserted approved');
SELECT lives_ok($$INSERT INTO units (slug, name, kind, purpose, audience,
    requested_by) VALUES ('fresh', 'F', 'chapter', 'p', 'a', ch_person())$$,
    'a request is inserted as requested');
SELECT lives_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT id, ch_person(), 'owner' FROM units WHERE slug = 'fresh'$$,
    'its requester adds themselves as its first owner');

-- a requester removed from their request
SELECT pg_temp.act((SELECT alt FROM ids), '');
DELETE FROM unit_members WHERE unit_id = (SELECT x FROM ids)
    AND person_id = (SELECT req FROM ids);
SELECT pg_temp.act((SELECT req FROM ids), '');
SELECT throws_ok($$INSERT INTO unit_members (unit_id, person_id, role)
    SELECT x, req, 'owner' FROM ids$$, '42501', NULL,
    'a removed requester cannot add themselves back as owner');
UPDATE units SET purpose = 'still mine' WHERE slug = 'x';
SELECT is((SELECT count(*)::int FROM units WHERE purpose = 'still mine'), 0,
    'nor edit the request');
RESET ROLE;
INSERT INTO unit_decisions (unit_id, decision, reason, decided_by, snapshot)
    SELECT x, 'request_changes', 'why', ida, '{}' FROM ids;
INSERT INTO screening_questions (prompt) VALUES ('Q?');
INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT x, (SELECT max(id) FROM screening_questions), 'A' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT req FROM ids), '');
SELECT is((SELECT count(*)::int FROM unit_decisions) +
    (SELECT count(*)::int FROM unit_answers), 0,
    'nor read its decisions and answers');
SELECT throws_ok($$INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT x, (SELECT max(id) FROM screening_questions), 'B' FROM ids$$,
    '42501', NULL, 'nor answer for it');
SELECT pg_temp.act((SELECT alt FROM ids), '');
SELECT is((SELECT count(*)::int FROM unit_decisions WHERE unit_id =
    (SELECT x FROM ids)), 1, 'its current owner reads them');
SELECT lives_ok($$UPDATE units SET purpose = 'edited by the owner'
    WHERE slug = 'x'$$, 'and edits the request');

-- invitations
SELECT lives_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t1'), x, 'Inv@T', 'author', alt,
    now() + interval '1 day' FROM ids$$, 'an owner invites');
SELECT throws_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t2'), x, 'inv@t', 'editor', alt,
    now() + interval '1 day' FROM ids$$, 'CH409', NULL,
    'one pending invitation per address and unit');
SELECT pg_temp.act((SELECT oth FROM ids), '');
SELECT is((SELECT outcome FROM ch_accept_invitation(sha256('t1'))),
    'other_address', 'the link refuses a person of another address');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('t1'))
    WHERE outcome = 'other_address'), 1, 'and stays usable');
SELECT pg_temp.act((SELECT alt FROM ids), '');
UPDATE invitations SET revoked_at = now(), revoked_by = ch_person()
    WHERE token_hash = sha256('t1');
SELECT throws_ok($$UPDATE invitations SET revoked_at = NULL,
    revoked_by = NULL WHERE token_hash = sha256('t1')$$, 'CH409', NULL,
    'a revoked invitation stays revoked');
SELECT pg_temp.act((SELECT inv FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('t1'))), 0,
    'a revoked invitation accepts nothing, even for its address');
SELECT pg_temp.act((SELECT oth FROM ids), '');
SELECT is((SELECT count(*)::int FROM invitations), 0,
    'a non-owner reads no invitation');
UPDATE invitations SET revoked_at = now(), revoked_by = ch_person();
SELECT pg_temp.act((SELECT alt FROM ids), '');
SELECT is((SELECT count(*)::int FROM invitations WHERE revoked_by =
    (SELECT oth FROM ids)), 0, 'nor revokes one');

-- an owner who stops being one takes their invitations along
SELECT pg_temp.act((SELECT alt FROM ids), '');
SELECT lives_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t3'), x, 'inv@t', 'author', alt,
    now() + interval '1 day' FROM ids$$, 'after revoking, one invites again');
RESET ROLE;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT x, pat, 'owner' FROM ids;
UPDATE unit_members SET role = 'editor' WHERE unit_id = (SELECT x FROM ids)
    AND person_id = (SELECT alt FROM ids);
SELECT isnt((SELECT revoked_at FROM invitations
    WHERE token_hash = sha256('t3')), NULL,
    'a demoted owner''s pending invitations are revoked');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT inv FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_accept_invitation(sha256('t3'))), 0,
    'and accept nothing');

-- limits: 3 invitations a day to one address
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT lives_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t4'), r, 'inv@t', 'author', pat,
    now() + interval '1 day' FROM ids$$,
    'a third invitation to an address in a day is sent');
SELECT throws_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t5'), w, 'inv@t', 'author', pat,
    now() + interval '1 day' FROM ids$$, 'CH429', NULL,
    'a fourth is refused');
SELECT lives_ok($$INSERT INTO invitations (token_hash, unit_id, email, role,
    invited_by, expires_at) SELECT sha256('t6'), w, 'someone@t', 'author',
    pat, now() + interval '1 day' FROM ids$$, 'other addresses still are');

-- the accepting side: the right address joins
SELECT pg_temp.act((SELECT inv FROM ids), '');
SELECT is((SELECT slug || ' ' || role || ' ' || outcome FROM
    ch_accept_invitation(sha256('t4'))), 'region author joined',
    'the invited address accepts and joins');
SELECT is((SELECT count(*)::int FROM unit_members WHERE unit_id =
    (SELECT r FROM ids)), 2, 'and is a member');

SELECT * FROM finish();
ROLLBACK;
