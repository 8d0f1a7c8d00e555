-- rls_policy.sql: pgTAP proof for how the hub decides: answers to the
-- screening questions are isolated per unit like every tenant table; the
-- policy, reason codes and questions are changed by hub admins only; a
-- request's state moves only by a decider, so a requester cannot approve
-- their own request even though they may edit it; delegation reaches the
-- owners of the parent unit only while the policy says so; automatic
-- approval happens only when the policy matches.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(33);

INSERT INTO people (email, name, password_hash) VALUES
    ('ann@a.example', 'Ann', '!'), ('bob@b.example', 'Bob', '!'),
    ('ida@t', 'Ida', '!'), ('pat@t', 'Pat', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@a.example') AS ann,
    (SELECT id FROM people WHERE email = 'bob@b.example') AS bob,
    (SELECT id FROM people WHERE email = 'ida@t') AS ida,
    (SELECT id FROM people WHERE email = 'pat@t') AS pat;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'requested', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'requested', bob
    FROM ids
    UNION ALL SELECT 'parent', 'P', 'regional_market', 'p', 'a', 'approved',
    pat FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN p bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    p = (SELECT id FROM units WHERE slug = 'parent');
UPDATE units SET parent_id = (SELECT p FROM ids) WHERE slug = 'unit-b';
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, ann, 'owner' FROM ids UNION ALL SELECT b, bob, 'owner' FROM ids
    UNION ALL SELECT p, pat, 'owner' FROM ids;
INSERT INTO screening_questions (prompt, required) VALUES ('Who writes?', true);
CREATE TEMP TABLE qid ON COMMIT DROP AS
    SELECT id FROM screening_questions WHERE prompt = 'Who writes?';
INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT a, (SELECT id FROM qid), 'answer A' FROM ids
    UNION ALL SELECT b, (SELECT id FROM qid), 'answer B' FROM ids;
GRANT SELECT ON ids, qid TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

SELECT is((SELECT count(*)::int FROM pg_class WHERE relname IN
    ('unit_answers', 'approval_policy', 'reason_codes', 'screening_questions')
    AND relrowsecurity AND relforcerowsecurity), 4,
    'RLS is enabled and forced on answers, the policy, codes and questions');

SET LOCAL ROLE chapterhouse_web;

-- answers: a tenant table like any other
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT string_agg(answer, ',') FROM unit_answers), 'answer A',
    'a member of A reads A''s answers and not B''s');
SELECT throws_ok($$INSERT INTO unit_answers (unit_id, question_id, answer)
    SELECT b, (SELECT id FROM qid), 'x' FROM ids$$, '42501', NULL,
    'a member of A cannot answer for B');
UPDATE unit_answers SET answer = 'changed' WHERE unit_id = (SELECT b FROM ids);
SELECT lives_ok($$UPDATE unit_answers SET answer = 'A again'
    WHERE unit_id = (SELECT a FROM ids)$$,
    'the requester edits their own answers while the request waits');
SELECT throws_ok($$DELETE FROM unit_answers$$, '42501', NULL,
    'nobody deletes an answer');

-- the requester cannot move their own request's state
SELECT throws_ok($$UPDATE units SET state = 'approved' WHERE slug = 'unit-a'$$,
    '42501', NULL, 'a requester cannot approve their own request');
SELECT lives_ok($$UPDATE units SET purpose = 'edited' WHERE slug = 'unit-a'$$,
    'but edits it');
SELECT throws_ok($$UPDATE units SET state = 'archived' WHERE slug = 'unit-a'$$,
    '42501', NULL, 'nor archives it');
SELECT throws_ok($$INSERT INTO unit_decisions (unit_id, decision, decided_by,
    snapshot) SELECT a, 'approve', ann, '{}' FROM ids$$, '42501', NULL,
    'nor records a decision on it');

-- hub settings: read by the signed-in, changed by hub admins
SELECT is((SELECT mode FROM approval_policy), 'manual',
    'everyone reads the policy');
UPDATE approval_policy SET mode = 'automatic', kinds = '{chapter}',
    updated_by = ch_person();
SELECT is((SELECT mode FROM approval_policy), 'manual',
    'a person without the admin role changes nothing');
SELECT throws_ok($$INSERT INTO reason_codes (code, label, template)
    VALUES ('x', 'x', 'x')$$, '42501', NULL, 'nor adds a reason code');
SELECT throws_ok($$INSERT INTO screening_questions (prompt)
    VALUES ('x')$$, '42501', NULL, 'nor a question');
SELECT is(ch_auto_approve((SELECT a FROM ids)), NULL,
    'under a manual policy nothing is approved automatically');

-- delegation
SELECT pg_temp.act((SELECT pat FROM ids), '');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-b'), 0,
    'without delegation, the parent''s owner does not see the request');
SELECT is((SELECT count(*)::int FROM unit_answers), 0,
    'nor its answers');
RESET ROLE;
UPDATE approval_policy SET delegate = true;
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-b'), 1,
    'with delegation, the parent''s owner sees the request under it');
SELECT is((SELECT string_agg(answer, ',') FROM unit_answers), 'answer B',
    'and its answers');
SELECT is((SELECT count(*)::int FROM units WHERE slug = 'unit-a'), 0,
    'but not requests under other units');
SELECT throws_ok($$UPDATE units SET state = 'suspended' WHERE slug = 'parent'$$,
    '42501', NULL, 'an owner cannot suspend their own unit');
-- Reminders are claimed by the job worker's role (011_process_roles.sql).
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT is((SELECT string_agg(slug, ',') FROM ch_claim_reminders('0 seconds')
    WHERE email = 'pat@t'), 'unit-b',
    'the delegate is reminded of the waiting request under their unit only');
SELECT is((SELECT count(*)::int FROM ch_claim_reminders('0 seconds')
    WHERE email = 'pat@t'), 0, 'and not twice within a day');
RESET ROLE;
SET LOCAL ROLE chapterhouse_web;
SELECT lives_ok($$UPDATE units SET state = 'approved' WHERE slug = 'unit-b'$$,
    'the delegate approves the request');
SELECT lives_ok($$INSERT INTO unit_decisions (unit_id, decision, decided_by,
    snapshot) SELECT b, 'approve', pat, '{}' FROM ids$$,
    'and records the decision in their name');
SELECT throws_ok($$INSERT INTO unit_decisions (unit_id, decision, decided_by,
    snapshot) SELECT a, 'approve', pat, '{}' FROM ids$$, '42501', NULL,
    'but not on a unit outside their reach');

-- automatic approval
SELECT pg_temp.act((SELECT ida FROM ids), 'admin');
UPDATE approval_policy SET mode = 'automatic', domains = '{a.example}',
    updated_by = ch_person();
SELECT is((SELECT mode FROM approval_policy), 'automatic',
    'a hub admin changes the policy');
SELECT throws_ok($$UPDATE approval_policy SET mode = 'automatic',
    domains = '{}', kinds = '{}', updated_by = ch_person()$$, '23514', NULL,
    'automatic approval needs a domain or a kind');
SELECT is(ch_auto_approve((SELECT a FROM ids)), NULL,
    'automatic approval applies to one''s own request only');
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(ch_auto_approve((SELECT a FROM ids)), 'e-mail domain a.example',
    'a request from a listed domain is approved, naming the rule');
SELECT is((SELECT state FROM units WHERE slug = 'unit-a'), 'approved',
    'the unit is approved');
SELECT is((SELECT automatic AND decided_by IS NULL FROM unit_decisions
    WHERE unit_id = (SELECT a FROM ids)), true,
    'the decision is automatic, made by nobody');
SELECT is(ch_auto_approve((SELECT a FROM ids)), NULL,
    'an approved unit is not approved twice');

SELECT pg_temp.act(NULL, '');
SELECT is((SELECT count(*)::int FROM unit_answers) +
    (SELECT count(*)::int FROM reason_codes) +
    (SELECT count(*)::int FROM screening_questions), 0,
    'an anonymous request reads no answer, reason code or question');

SELECT * FROM finish();
ROLLBACK;
