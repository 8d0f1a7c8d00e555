-- training_reports.sql: pgTAP proof of sql/035_training_reports.sql.  The
-- rows of the training reports are read by HR for every unit (and a
-- person assigned who belongs to no unit), by a unit's owners for their
-- units alone, whatever unit they ask for; an author, a removed owner,
-- a stranger, a hub admin who is not HR and nobody acting read none, and
-- the anonymous and worker roles may not call the functions.  An
-- assignment reaches a unit's members, a role's holders in the unit
-- where they hold it, a person in each of their units; a completion of
-- the current version is reported.  Run like posts.sql (as the
-- superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(22);

-- Unit A: own owns it, mem writes in it, rem owned it and was removed.
-- Unit B: bob owns it, sue writes in it.  hr holds the hub role hr, adm
-- admin; str and lon belong to nothing.
INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('mem@t', 'Mem', '!'), ('rem@t', 'Rem', '!'),
    ('bob@t', 'Bob', '!'), ('sue@t', 'Sue', '!'), ('hr@t', 'Hr', '!'),
    ('adm@t', 'Adm', '!'), ('str@t', 'Str', '!'), ('lon@t', 'Lon', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'mem@t') AS mem,
    (SELECT id FROM people WHERE email = 'rem@t') AS rem,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'sue@t') AS sue,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint,
    ADD COLUMN c bigint, ADD COLUMN r bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids UNION ALL SELECT a, mem, 'author' FROM ids
    UNION ALL SELECT a, rem, 'owner' FROM ids
    UNION ALL SELECT b, bob, 'owner' FROM ids
    UNION ALL SELECT b, sue, 'author' FROM ids;
DELETE FROM unit_members WHERE person_id = (SELECT rem FROM ids);
GRANT SELECT, UPDATE ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- The report's rows as "unit:person:course", sorted, of unit and course.
CREATE FUNCTION pg_temp.seen(unit bigint DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(string_agg(coalesce(unit_slug, '-') || ':' ||
	    person_name || ':' || CASE course_id WHEN (SELECT c FROM ids)
	    THEN 'press' ELSE 'roles' END, ' ' ORDER BY unit_slug, person_name,
	    course_id), '') FROM ch_training_report(unit, NULL)
$$;

SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
UPDATE ids SET c = (SELECT id FROM ch_course_save(NULL, '', 'published',
    'Speaking to the press', '', 10, '[{"title": "One", "body": "Read."}]',
    NULL));
UPDATE ids SET r = (SELECT id FROM ch_course_save(NULL, '', 'published',
    'For every author', '', 10, '[{"title": "One", "body": "Read."}]',
    NULL));
SELECT is((SELECT string_agg(outcome, ',') FROM (
    SELECT outcome FROM ids, ch_assignment_add(c, '', 'unit-a', '', NULL, '')
    UNION ALL SELECT outcome FROM ids,
	ch_assignment_add(c, '', 'unit-b', '', NULL, '')
    UNION ALL SELECT outcome FROM ids,
	ch_assignment_add(c, 'lon@t', '', '', NULL, '')
    UNION ALL SELECT outcome FROM ids,
	ch_assignment_add(r, '', '', 'author', NULL, '')) x), 'ok,ok,ok,ok',
    'HR assigns a course to A, to B and to one person, another to authors');

SELECT is(pg_temp.seen(), 'unit-a:Mem:press unit-a:Mem:roles '
    'unit-a:Own:press unit-b:Bob:press unit-b:Sue:press unit-b:Sue:roles '
    '-:Lon:press',
    'HR reads every unit''s rows, and a person of no unit');
SELECT is(pg_temp.seen((SELECT a FROM ids)),
    'unit-a:Mem:press unit-a:Mem:roles unit-a:Own:press',
    'HR asking for A reads A''s rows, none without a unit');
SELECT ok((SELECT a FROM ids) = ANY (ch_training_report_units())
    AND (SELECT b FROM ids) = ANY (ch_training_report_units()),
    'HR reads the reports of every unit');

SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(pg_temp.seen(), 'unit-a:Mem:press unit-a:Mem:roles '
    'unit-a:Own:press', 'A''s owner reads A''s rows alone');
SELECT is(pg_temp.seen((SELECT b FROM ids)), '',
    'A''s owner asking for B reads nothing of B');
SELECT is(ch_training_report_units(), ARRAY[(SELECT a FROM ids)],
    'A''s owner reads the reports of A alone');

SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is(pg_temp.seen(), 'unit-b:Bob:press unit-b:Sue:press '
    'unit-b:Sue:roles', 'B''s owner reads B''s rows alone');
SELECT is(pg_temp.seen((SELECT a FROM ids)), '',
    'B''s owner asking for A reads nothing of A');

SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is(pg_temp.seen(), '', 'an author reads nothing');
SELECT is(pg_temp.seen((SELECT a FROM ids)), '',
    'an author asking for their unit reads nothing');
SELECT is(ch_training_report_units(), '{}'::bigint[],
    'an author reads no unit''s reports');
SELECT pg_temp.act((SELECT rem FROM ids));
SELECT is(pg_temp.seen((SELECT a FROM ids)), '',
    'a removed owner reads nothing');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is(pg_temp.seen(), '', 'a stranger reads nothing');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is(pg_temp.seen(), '', 'a hub admin who is not HR reads nothing');
SELECT pg_temp.act(NULL, 'hr');
SELECT is(pg_temp.seen(), '', 'nobody acting reads nothing, hub role or not');
SELECT is(ch_training_report_units(), '{}'::bigint[],
    'nobody acting reads no unit''s reports');

-- A completion of the current version, as ch_training_lesson() writes it.
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is((SELECT outcome FROM ids, ch_training_lesson(c, 1)), 'ok',
    'the author reads the course''s one lesson');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT count(*)::integer FROM ch_training_report(NULL,
    (SELECT c FROM ids)) WHERE completed_at IS NOT NULL
    AND person_name = 'Mem'), 1, 'A''s owner reads the completion');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::integer FROM ch_training_report(NULL, NULL)
    WHERE completed_at IS NOT NULL), 0, 'B''s owner does not');

RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok('SELECT * FROM ch_training_report(NULL, NULL)', '42501',
    NULL, 'the anonymous role may not call the report');
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok('SELECT ch_training_report_units()', '42501', NULL,
    'nor may the worker''s role');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
