-- training.sql: pgTAP proof of sql/026_training.sql.  The hub's courses
-- are written by HR only, a unit's by its owners and editors while it is
-- approved; a published hub course is read by everyone signed in, a
-- unit's by its members; drafts by their writers; the right answers are
-- read by writers only; progress is written only through the definer
-- functions, for the acting person, and read by that person, the owners
-- of their units and HR; a published version is kept as it was; HR
-- assigns any course, a unit's owners their unit's to its members.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(60);

-- Unit A (approved): own its owner, edi an editor, mem an author.  Unit
-- B (approved): bob owns it.  Unit S (suspended): own owns it too.  hr
-- holds the hub role hr, adm admin; str belongs to nothing.
INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('edi@t', 'Edi', '!'), ('mem@t', 'Mem', '!'),
    ('bob@t', 'Bob', '!'), ('hr@t', 'Hr', '!'), ('adm@t', 'Adm', '!'),
    ('str@t', 'Str', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'edi@t') AS edi,
    (SELECT id FROM people WHERE email = 'mem@t') AS mem,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'str@t') AS str;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-s', 'S', 'chapter', 'p', 'a', 'suspended', own
    FROM ids;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, m.who, m.role FROM ids, LATERAL (VALUES
	('unit-a', ids.own, 'owner'), ('unit-a', ids.edi, 'editor'),
	('unit-a', ids.mem, 'author'), ('unit-b', ids.bob, 'owner'),
	('unit-s', ids.own, 'owner')) m (slug, who, role)
    JOIN units u ON u.slug = m.slug;
ALTER TABLE ids ADD COLUMN hub bigint, ADD COLUMN ua bigint,
    ADD COLUMN draft bigint;
GRANT SELECT, UPDATE ON ids TO chapterhouse_web;

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

-- A course of unit ('' for the hub's) in state st, with two lessons and a
-- quiz of one question whose right answer is choice 1.
CREATE FUNCTION pg_temp.save(unit text, st text, course bigint DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
	SELECT outcome || ':' || coalesce(id::text, '') FROM ch_course_save(
	    course, unit, st, 'Speaking to the press', 'Who speaks', 20,
	    '[{"title": "One", "body": "Read."}, {"title": "Two", "body": "B"}]',
	    '{"pass_mark": 100, "questions": [{"text": "Who?", '
	    '"choices": ["Anyone", "The press office"], "correct": [1]}]}')
$$;

SET LOCAL ROLE chapterhouse_web;

-- -- Writing ----------------------------------------------------------------
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT alike(pg_temp.save('', 'published'), 'ok:%', 'HR writes a hub course');
UPDATE ids SET hub = (SELECT max(id) FROM courses WHERE unit_id IS NULL);
SELECT alike(pg_temp.save('', 'draft'), 'ok:%', 'HR writes a hub draft');
UPDATE ids SET draft = (SELECT max(id) FROM courses WHERE unit_id IS NULL);

SELECT pg_temp.act((SELECT mem FROM ids));
SELECT throws_ok($$SELECT pg_temp.save('', 'draft')$$, '42501', NULL,
    'an author cannot write a hub course');
SELECT throws_ok($$SELECT pg_temp.save('unit-a', 'draft')$$, '42501', NULL,
    'an author cannot write a course of their unit');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT pg_temp.save('', 'draft')$$, '42501', NULL,
    'a hub admin is not HR: no hub course');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT pg_temp.save('unit-a', 'draft')$$, '42501', NULL,
    'another unit''s owner cannot write a course of A');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT throws_ok($$SELECT pg_temp.save('unit-s', 'draft')$$, '42501', NULL,
    'a suspended unit''s owner cannot write its courses');
SELECT is(pg_temp.save('nowhere', 'draft'), 'no_unit:',
    'a unit that does not exist is said so');
SELECT alike(pg_temp.save('unit-a', 'published'), 'ok:%',
    'a unit''s owner writes its course');
UPDATE ids SET ua = (SELECT max(id) FROM courses
    WHERE unit_id = (SELECT id FROM units WHERE slug = 'unit-a'));
SELECT pg_temp.act((SELECT edi FROM ids));
SELECT alike(pg_temp.save('unit-a', 'draft'), 'ok:%',
    'a unit''s editor writes its course');
SELECT is((SELECT count(*)::integer FROM course_lessons
    WHERE unit_id = (SELECT id FROM units WHERE slug = 'unit-a')), 4,
    'every lesson carries its course''s unit');

SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is(pg_temp.save('', 'draft', (SELECT ua FROM ids)),
    'forbidden:', 'an author reads the unit''s course but cannot change it');
SELECT is(pg_temp.rows($$UPDATE courses SET state = 'draft',
    updated_by = ch_person() WHERE id = (SELECT ua FROM ids)$$), 0,
    'nor by hand');
SELECT is(pg_temp.rows($$DELETE FROM course_lessons
    WHERE course_id = (SELECT ua FROM ids)$$), 0,
    'nor remove its lessons');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is(pg_temp.save('', 'draft', (SELECT ua FROM ids)), 'not_found:',
    'another unit''s owner does not see it');

-- A published version is kept: a change writes the next version.
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT throws_ok($$DELETE FROM course_lessons
    WHERE course_id = (SELECT hub FROM ids)$$, 'CH409', NULL,
    'a published version''s lessons are kept');
SELECT throws_ok($$DELETE FROM course_questions
    WHERE course_id = (SELECT hub FROM ids)$$, 'CH409', NULL,
    'and its questions');
SELECT alike(pg_temp.save('', 'published', (SELECT hub FROM ids)), 'ok:%',
    'HR changes the published course');
SELECT is((SELECT version FROM courses WHERE id = (SELECT hub FROM ids)), 2,
    'which is now at version 2');
SELECT is((SELECT count(*)::integer FROM course_versions
    WHERE course_id = (SELECT hub FROM ids)), 2, 'version 1 is kept');
SELECT alike(pg_temp.save('', 'draft', (SELECT draft FROM ids)), 'ok:%',
    'a draft is rewritten');
SELECT is((SELECT version FROM courses WHERE id = (SELECT draft FROM ids)), 1,
    'in place');

-- -- Reading ----------------------------------------------------------------
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is((SELECT count(*)::integer FROM courses), 1,
    'a stranger reads the published hub course alone');
SELECT is((SELECT count(*)::integer FROM course_lessons
    WHERE course_id = (SELECT draft FROM ids)), 0,
    'and no lesson of a draft');
SELECT pg_temp.act(NULL);
SELECT is((SELECT count(*)::integer FROM courses), 0,
    'nobody signed in reads no course');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::integer FROM courses
    WHERE id = (SELECT ua FROM ids)), 0,
    'another unit''s member does not read A''s course');
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is((SELECT count(*)::integer FROM courses), 2,
    'a member reads the hub''s and the unit''s published courses');
SELECT throws_ok($$SELECT correct FROM course_questions$$, '42501', NULL,
    'a reader cannot select the right answers');
SELECT is(ch_course_answers((SELECT ua FROM ids), 1), NULL,
    'nor have them from ch_course_answers()');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(ch_course_answers((SELECT ua FROM ids), 1), '[[1]]'::jsonb,
    'the unit''s owner has them');

-- -- Progress ---------------------------------------------------------------
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT throws_ok($$INSERT INTO lesson_reads (person_id, course_id, version, n)
    VALUES (ch_person(), (SELECT ua FROM ids), 1, 1)$$, '42501', NULL,
    'nobody writes progress by hand');
SELECT is((SELECT outcome || lessons FROM ch_training_lesson(
    (SELECT ua FROM ids), 3)), 'no_lesson2', 'lesson 3 of 2 is refused');
SELECT is((SELECT outcome FROM ch_training_lesson((SELECT ua FROM ids), 1)),
    'ok', 'a member reads lesson 1');
SELECT is((SELECT outcome || ':' || field FROM ch_training_quiz(
    (SELECT ua FROM ids), '[[1], [0]]')), 'invalid:answers.1',
    'an answer to a question that does not exist is refused');
SELECT is((SELECT outcome || ':' || field FROM ch_training_quiz(
    (SELECT ua FROM ids), '[[2]]')), 'invalid:answers.0',
    'a choice that does not exist is refused');
SELECT is((SELECT score || ':' || passed || ':' || completed
    FROM ch_training_quiz((SELECT ua FROM ids), '[[1]]')), '100:true:true',
    'the right answer passes and completes');
SELECT is((SELECT count(*)::integer FROM quiz_attempts), 1,
    'refused answers were not kept');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT outcome FROM ch_training_lesson((SELECT ua FROM ids), 1)),
    'no_course', 'another unit''s member cannot read A''s lessons');
SELECT is((SELECT count(*)::integer FROM lesson_reads)
    + (SELECT count(*)::integer FROM course_completions), 0,
    'nor sees A''s members'' progress');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT count(*)::integer FROM course_completions), 1,
    'the unit''s owner sees its member''s completion');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is((SELECT count(*)::integer FROM lesson_reads), 1,
    'HR sees everyone''s progress');

-- -- Assignments ------------------------------------------------------------
-- (hr, own, mem and bob as above; hub is HR's published course, ua A's.)
CREATE FUNCTION pg_temp.assign(course bigint, person text, unit text,
    role text, due date DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT outcome || ':' || coalesce(field, '') FROM ch_assignment_add(
	    course, person, unit, role, due, 'Before the fair')
$$;
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is(pg_temp.assign((SELECT hub FROM ids), '', 'unit-a', ''), 'ok:',
    'HR assigns a hub course to a unit');
SELECT is(pg_temp.assign((SELECT hub FROM ids), '', '', 'owner'), 'ok:',
    'and to every unit owner');
SELECT is(pg_temp.assign((SELECT hub FROM ids), '', 'unit-s', ''),
    'closed:unit', 'not to a unit that is not approved');
SELECT is(pg_temp.assign((SELECT hub FROM ids), 'nobody@t', '', ''),
    'invalid:person', 'nor to a person who does not exist');
SELECT is(pg_temp.assign((SELECT hub FROM ids), 'str@t', '', '',
    current_date - 2), 'invalid:due', 'nor due in the past');
SELECT is(pg_temp.assign((SELECT draft FROM ids), 'str@t', '', ''),
    'invalid:course', 'nor a draft');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(pg_temp.assign((SELECT ua FROM ids), 'mem@t', '', ''), 'ok:',
    'a unit''s owner assigns its course to a member');
SELECT is(pg_temp.assign((SELECT ua FROM ids), 'bob@t', '', ''),
    'invalid:person', 'not to someone outside the unit');
SELECT is(pg_temp.assign((SELECT ua FROM ids), '', 'unit-b', ''),
    'invalid:unit', 'nor to another unit');
SELECT is(pg_temp.assign((SELECT hub FROM ids), 'mem@t', '', ''),
    'forbidden:', 'nor a hub course');
SELECT throws_ok($$INSERT INTO course_assignments (course_id, to_role,
    assigned_by) VALUES ((SELECT ua FROM ids), 'owner', ch_person())$$,
    '42501', NULL, 'nor by hand to a role');
SELECT pg_temp.act((SELECT mem FROM ids));
SELECT is(pg_temp.assign((SELECT ua FROM ids), 'mem@t', '', ''),
    'forbidden:', 'an author cannot assign');
SELECT is((SELECT count(*)::integer FROM course_assignments), 2,
    'a member reads what is assigned to them and to their unit');
SELECT is(pg_temp.rows($$DELETE FROM course_assignments$$), 0,
    'and removes none of it');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::integer FROM course_assignments), 1,
    'another unit''s owner reads only what targets all owners');
SELECT pg_temp.act((SELECT str FROM ids));
SELECT is((SELECT count(*)::integer FROM course_assignments), 0,
    'a stranger reads none');
SELECT is(ch_training_member((SELECT id FROM units WHERE slug = 'unit-a'),
    (SELECT mem FROM ids)), false,
    'nor learns who belongs to a unit through ch_training_member()');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is(pg_temp.rows($$DELETE FROM course_assignments
    WHERE unit_id IS NULL$$), 0, 'an owner removes no hub assignment');
SELECT is(pg_temp.rows($$DELETE FROM course_assignments
    WHERE course_id = (SELECT ua FROM ids)$$), 1,
    'but removes their unit''s');

SELECT * FROM finish();
ROLLBACK;
