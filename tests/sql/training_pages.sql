-- training_pages.sql: pgTAP proof of sql/030_training_pages.sql.  Badges
-- are told to the person, the reviewers of the unit named and HR, and
-- nobody else; the reminders table is read by the person it names and
-- HR, written by nobody but the worker's definer function, which the web
-- role may not call; the clock is now() unless chapterhouse.clock says
-- otherwise; a reminder claimed is claimed once, one digest a day.
-- Run like training.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(20);

INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('edi@t', 'Edi', '!'), ('mem@t', 'Mem', '!'),
    ('bob@t', 'Bob', '!'), ('hr@t', 'Hr', '!'), ('str@t', 'Str', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'edi@t') AS edi,
    (SELECT id FROM people WHERE email = 'mem@t') AS mem,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, m.who, m.role FROM ids, LATERAL (VALUES
	('unit-a', ids.own, 'owner'), ('unit-a', ids.edi, 'editor'),
	('unit-a', ids.mem, 'author'), ('unit-b', ids.bob, 'owner')) m
	(slug, who, role)
    JOIN units u ON u.slug = m.slug;
ALTER TABLE ids ADD COLUMN hub bigint, ADD COLUMN ua bigint,
    ADD COLUMN a bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a');
GRANT SELECT, UPDATE ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

SET LOCAL ROLE chapterhouse_web;

-- A hub course and one of unit A, both without quiz, completed by mem.
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT id FROM ch_course_save(NULL, '', 'published', 'Hub course', '', 5,
    '[{"title": "One", "body": "Read."}]', NULL) \g /dev/null
UPDATE ids SET hub = (SELECT max(id) FROM courses WHERE unit_id IS NULL);
SELECT pg_temp.act((SELECT own FROM ids));
SELECT id FROM ch_course_save(NULL, 'unit-a', 'published', 'A course', '', 5,
    '[{"title": "One", "body": "Read."}]', NULL) \g /dev/null
UPDATE ids SET ua = (SELECT max(id) FROM courses WHERE unit_id IS NOT NULL);
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is((SELECT completed FROM ch_training_lesson((SELECT hub FROM ids), 1)),
    true, 'mem completes the hub course');
SELECT is((SELECT completed FROM ch_training_lesson((SELECT ua FROM ids), 1)),
    true, 'and unit A''s');

-- -- Badges -------------------------------------------------------------------
SELECT is(jsonb_array_length(ch_training_badges((SELECT mem FROM ids),
    NULL)), 2, 'a person reads both their badges');
SELECT pg_temp.act((SELECT edi FROM ids));
SELECT is(jsonb_array_length(ch_training_badges((SELECT mem FROM ids),
    (SELECT a FROM ids))), 2, 'a reviewer of unit A reads both, for A');
SELECT is(ch_training_badges((SELECT mem FROM ids), NULL), '[]',
    'but nothing without naming the unit they review');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is(ch_training_badges((SELECT mem FROM ids), (SELECT a FROM ids)),
    '[]', 'another unit''s owner reads none');
SELECT is(ch_training_badges((SELECT mem FROM ids), (SELECT id FROM units
    WHERE slug = 'unit-b')), '[]', 'not even naming their own unit, which '
    'mem neither belongs to nor wrote for');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is(ch_training_badges((SELECT mem FROM ids), (SELECT a FROM ids)),
    '[]', 'a stranger reads none');
SELECT pg_temp.act(NULL);
SELECT is(ch_training_badges((SELECT mem FROM ids), NULL), '[]',
    'nobody acting reads none');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is((ch_training_badges((SELECT mem FROM ids), NULL) -> 0) ->> 'title',
    'Hub course', 'HR reads the hub''s badges');

-- -- The clock ----------------------------------------------------------------
SELECT is(ch_clock(), now(), 'the clock is now() by default');
SELECT set_config('chapterhouse.clock', '2030-01-02T03:04:05Z', true)
    \g /dev/null
SELECT is(ch_clock(), '2030-01-02T03:04:05Z'::timestamptz,
    'and the instant chapterhouse.clock names');
SELECT is((SELECT count(*)::integer FROM pg_policies
    WHERE coalesce(qual, '') || coalesce(with_check, '') ~ 'clock'), 0,
    'no policy reads the clock: setting it grants nothing');

-- -- Reminders ----------------------------------------------------------------
SELECT is((SELECT outcome FROM ch_assignment_add((SELECT ua FROM ids), '',
    'unit-a', '', NULL, '')), 'ok', 'HR assigns A''s course to unit A');
SELECT throws_ok($$SELECT * FROM ch_training_claim_reminders(true, 3, true)$$,
    '42501', NULL, 'the web role may not claim reminders');
SELECT throws_ok($$INSERT INTO training_reminders (assignment_id, person_id,
    kind, sent_at) SELECT max(id), (SELECT mem FROM ids), 'assigned', now()
    FROM course_assignments$$, '42501', NULL,
    'nor write the reminders table');
RESET ROLE;
SELECT is((SELECT string_agg(p.email, ',' ORDER BY p.email)
    FROM ch_training_claim_reminders(true, 3, true) c
    JOIN people p ON p.id = c.person_id), 'edi@t,own@t',
    'the worker''s claim: the members who have not completed it, once each');
SELECT is((SELECT count(*)::integer
    FROM ch_training_claim_reminders(true, 3, true)), 0,
    'claimed again: nothing');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT edi FROM ids));
SELECT is((SELECT count(*)::integer FROM training_reminders), 1,
    'a person reads the reminders they were sent only');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is((SELECT count(*)::integer FROM training_reminders), 2,
    'HR reads every one');

SELECT * FROM finish();
ROLLBACK;
