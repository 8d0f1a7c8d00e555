-- guidelines.sql: pgTAP proof of sql/021_guidelines.sql.  Hub rules are
-- read by everyone signed in and written only by hub admins and
-- communicators; a unit's rules are seen only by its members and hub
-- roles and written only by its owners while it is approved; mutes are
-- written only by the unit's owners, in their own name, and read by the
-- unit and the hub; a rule's fields are checked whoever writes them.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(39);

-- Unit A (approved): own its owner, mem an author, old a guest whose
-- last day is past.  Unit B (approved): bob owns it.  Unit S
-- (suspended): own owns it too.  adm, com and hr hold hub roles; str
-- belongs to nothing.
INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('mem@t', 'Mem', '!'), ('old@t', 'Old', '!'),
    ('bob@t', 'Bob', '!'), ('adm@t', 'Adm', '!'), ('com@t', 'Com', '!'),
    ('hr@t', 'Hr', '!'), ('str@t', 'Str', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'mem@t') AS mem,
    (SELECT id FROM people WHERE email = 'old@t') AS old,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'com@t') AS com,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-s', 'S', 'chapter', 'p', 'a', 'suspended', own
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN s bigint,
    ADD COLUMN h bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    s = (SELECT id FROM units WHERE slug = 'unit-s');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, own, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT a, mem, 'author', NULL FROM ids
    UNION ALL SELECT a, old, 'guest', now() - interval '1 day' FROM ids
    UNION ALL SELECT b, bob, 'owner', NULL FROM ids
    UNION ALL SELECT s, own, 'owner', NULL FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- How many rows a statement wrote.
CREATE FUNCTION pg_temp.rows(q text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	EXECUTE q;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- A term rule's fields, and a unit rule of A written by who.
CREATE FUNCTION pg_temp.term(p text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('pattern', p, 'regex', false,
	    'case_sensitive', false, 'replacement', 'designed to')
$$;

SET LOCAL ROLE chapterhouse_web;

-- -- Hub rules --------------------------------------------------------------
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT lives_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'term', pg_temp.term('guaranteed'),
    'We promise nothing', adm, adm FROM ids$$,
    'a hub admin writes a hub rule');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT lives_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'links', '{}', 'Links must work', com, com
    FROM ids$$, 'so does a hub communicator');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'links', '{}', 'x', adm, adm FROM ids$$,
    '42501', NULL, 'but not in another''s name');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'links', '{}', 'x', hr, hr FROM ids$$,
    '42501', NULL, 'a hub HR person writes no hub rule');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'links', '{}', 'x', own, own FROM ids$$,
    '42501', NULL, 'nor does a unit''s owner');
SELECT is((SELECT count(*)::int FROM guide_hub_rules), 2,
    'an owner reads the hub''s rules');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is((SELECT count(*)::int FROM guide_hub_rules), 2,
    'so does anyone signed in');
SELECT pg_temp.act(NULL);
SELECT is((SELECT count(*)::int FROM guide_hub_rules), 0,
    'an anonymous caller reads none');
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is(pg_temp.rows($$UPDATE guide_hub_rules SET message = 'mine',
    updated_by = (SELECT mem FROM ids)$$), 0, 'a plain member changes no hub rule');
SELECT is(pg_temp.rows($$DELETE FROM guide_hub_rules$$), 0, 'nor removes one');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is(pg_temp.rows($$DELETE FROM guide_hub_rules$$), 0, 'nor does a hub HR person');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT is(pg_temp.rows($$UPDATE guide_hub_rules SET enabled = false,
    updated_by = (SELECT com FROM ids) WHERE kind = 'links'$$), 1, 'a communicator switches one off');

-- -- Fields, whoever writes them ---------------------------------------------
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'term', '{"regex": false}', 'x', adm, adm
    FROM ids$$, '23514', NULL, 'a term rule without its pattern is refused');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'length', '{"channel": "x", "limit": 0,
    "link_length": 23}', 'x', adm, adm FROM ids$$, '23514', NULL,
    'a length limit of 0 is refused');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'quiet', '{"terms": ["merger"],
    "starts": "2030-05-02", "ends": "2030-05-01", "units": [],
    "regions": []}', 'x', adm, adm FROM ids$$, '23514', NULL,
    'a quiet period that ends before it starts is refused');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'poem', '{}', 'x', adm, adm FROM ids$$,
    '23514', NULL, 'an unknown kind is refused');
SELECT throws_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'links', '{"extra": 1}', 'x', adm, adm
    FROM ids$$, '23514', NULL, 'a field the kind does not have is refused');
SELECT lives_ok($$INSERT INTO guide_hub_rules (kind, fields, message,
    created_by, updated_by) SELECT 'quiet', '{"terms": ["merger"],
    "starts": "2030-05-01", "ends": "2030-05-01", "units": ["unit-a"],
    "regions": []}', 'Hold comment', adm, adm FROM ids$$,
    'a quiet period of one day is a rule');

-- -- A unit's rules ----------------------------------------------------------
SELECT pg_temp.act((SELECT own FROM ids));
SELECT lives_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT a, 'term', pg_temp.term('Moon'),
    'Project Moon is confidential', own, own FROM ids$$,
    'the owner writes a rule of the unit');
SELECT throws_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT b, 'links', '{}', 'x', own, own
    FROM ids$$, '42501', NULL, 'but none of a unit they do not own');
SELECT throws_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT s, 'links', '{}', 'x', own, own
    FROM ids$$, '42501', NULL, 'nor of their unit while it is suspended');
SELECT throws_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT a, 'quiet', '{"terms": ["x"],
    "starts": "2030-01-01", "ends": "2030-01-02", "units": ["unit-b"],
    "regions": []}', 'x', own, own FROM ids$$, '23514', NULL,
    'a unit''s quiet period targets no other unit');
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT throws_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT a, 'links', '{}', 'x', mem, mem
    FROM ids$$, '42501', NULL, 'a plain member writes no rule of the unit');
SELECT is((SELECT count(*)::int FROM guide_unit_rules), 1,
    'a member reads the unit''s rules');
SELECT is(pg_temp.rows($$UPDATE guide_unit_rules SET message = 'mine',
    updated_by = (SELECT mem FROM ids)$$), 0, 'but changes none');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_unit_rules), 0,
    'another unit''s owner sees none of them');
SELECT is(pg_temp.rows($$DELETE FROM guide_unit_rules$$), 0, 'and removes none');
SELECT pg_temp.act((SELECT old FROM ids));
SELECT is((SELECT count(*)::int FROM guide_unit_rules), 0,
    'nor does a guest past their last day');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is((SELECT count(*)::int FROM guide_unit_rules), 0,
    'nor a stranger');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$INSERT INTO guide_unit_rules (unit_id, kind, fields,
    message, created_by, updated_by) SELECT a, 'links', '{}', 'x', adm, adm
    FROM ids$$, '42501', NULL, 'a hub admin writes no rule of a unit');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is((SELECT count(*)::int FROM guide_unit_rules), 1,
    'hub roles read a unit''s rules');

-- -- Mutes --------------------------------------------------------------------
RESET ROLE;
UPDATE ids SET h = (SELECT id FROM guide_hub_rules WHERE kind = 'term');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT own FROM ids));
SELECT lives_ok($$INSERT INTO guide_mutes (unit_id, rule_id, reason,
    muted_by) SELECT a, h, 'We sell guarantees', own FROM ids$$,
    'the owner mutes a hub rule for the unit, with a reason');
SELECT throws_ok($$INSERT INTO guide_mutes (unit_id, rule_id, reason,
    muted_by) SELECT b, h, 'x', own FROM ids$$, '42501', NULL,
    'but not for a unit they do not own');
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT throws_ok($$INSERT INTO guide_mutes (unit_id, rule_id, reason,
    muted_by) SELECT a, (SELECT min(id) FROM guide_hub_rules), 'x', mem
    FROM ids$$, '42501', NULL, 'a plain member cannot mute');
SELECT is(pg_temp.rows($$DELETE FROM guide_mutes$$), 0, 'nor unmute');
SELECT is((SELECT reason FROM guide_mutes), 'We sell guarantees',
    'a member reads the unit''s mutes');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_mutes), 0,
    'another unit''s owner does not');
SELECT pg_temp.act((SELECT com FROM ids), 'communicator');
SELECT is((SELECT reason FROM guide_mutes), 'We sell guarantees',
    'the hub sees who muted what and why');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
DELETE FROM guide_hub_rules WHERE kind = 'term';
RESET ROLE;
SELECT is((SELECT count(*)::int FROM guide_mutes), 0,
    'a hub rule removed takes its mutes along');

SELECT * FROM finish();
ROLLBACK;
