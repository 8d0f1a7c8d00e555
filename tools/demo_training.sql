-- demo_training.sql: the demo's training catalog, loaded after demo.sql
-- (never by migrations).  HR's five courses of the hub, each with short
-- lessons and a quiz; North Chapter's own course, written by its owner;
-- the social media guidelines assigned to North Chapter's members, due
-- in two weeks; and author@ having completed them (lessons read, one
-- quiz attempt that passed).  Written once: nothing when a course exists.
DO $$
DECLARE
	hr	bigint := (SELECT id FROM people WHERE email = 'hr@demo.test');
	ow	bigint := (SELECT id FROM people WHERE email = 'owner@demo.test');
	au	bigint := (SELECT id FROM people WHERE email = 'author@demo.test');
	nc	bigint := (SELECT id FROM units WHERE slug = 'north-chapter');
	c	jsonb;
	cid	bigint;
	guide	bigint;
	att	bigint;
BEGIN
	IF hr IS NULL OR ow IS NULL OR au IS NULL OR nc IS NULL
	    OR EXISTS (SELECT 1 FROM courses) THEN
		RETURN;
	END IF;
	FOR c IN SELECT * FROM jsonb_array_elements($j$[
	 {"title": "The organization's social media guidelines",
	  "summary": "What every post of ours does, wherever it appears.",
	  "minutes": 20, "unit": false,
	  "lessons": [
	   {"title": "Why we have guidelines",
	    "body": "Every unit speaks for the whole organization.\n\nThe guidelines keep our voice **recognisable** and our promises *keepable*."},
	   {"title": "The rules in force",
	    "body": "- No promises of outcomes\n- No internal code names\n- One tag of the shared taxonomy at least\n- Sponsored posts say so"},
	   {"title": "When a rule finds something",
	    "body": "A rule never stops you: it suggests. Read its message, then decide."}],
	  "quiz": {"pass_mark": 100, "questions": [
	   {"text": "What happens when a guideline rule finds something in your draft?",
	    "choices": ["The post is blocked", "You get a suggestion and decide", "The hub is told"],
	    "correct": [1]},
	   {"text": "Which of these are internal code names?",
	    "choices": ["Lighthouse", "North Chapter", "Bluefin"], "correct": [0, 2]}]}},
	 {"title": "Speaking to the press",
	  "summary": "Who speaks to reporters, and what to say when they call you.",
	  "minutes": 15, "unit": false,
	  "lessons": [
	   {"title": "Who speaks",
	    "body": "The **press office** speaks for the organization. Unit owners speak for their unit's events only."},
	   {"title": "When a reporter calls",
	    "body": "Take their name, outlet and deadline. Promise a call back, then tell the press office."}],
	  "quiz": {"pass_mark": 50, "questions": [
	   {"text": "A reporter calls you about the merger. What do you do?",
	    "choices": ["Answer what you know", "Take their details and tell the press office", "Say no comment and hang up"],
	    "correct": [1]},
	   {"text": "Is anything ever off the record?",
	    "choices": ["Yes, if agreed first", "No"], "correct": [1]}]}},
	 {"title": "Tagging conventions",
	  "summary": "The shared tags, so the hub and other units find your posts.",
	  "minutes": 10, "unit": false,
	  "lessons": [
	   {"title": "The taxonomy",
	    "body": "board, community, events, fair, jobs, news, office, press, sponsored, volunteers."},
	   {"title": "Choosing tags",
	    "body": "One to three tags. Prefer the most specific: *fair* rather than *events* for the autumn fair."}],
	  "quiz": {"pass_mark": 100, "questions": [
	   {"text": "A post about the autumn fair takes which tag first?",
	    "choices": ["events", "fair", "news"], "correct": [1]}]}},
	 {"title": "Handling a crisis online",
	  "summary": "The first hour of a storm in the comments.",
	  "minutes": 25, "unit": false,
	  "lessons": [
	   {"title": "Pause scheduled posts",
	    "body": "The first step: withdraw or reschedule what was about to go out."},
	   {"title": "Say less, sooner",
	    "body": "A short holding line within the hour beats a long statement tomorrow."},
	   {"title": "Hand over",
	    "body": "Tell the hub's communicators; they coordinate every unit's answer."}],
	  "quiz": {"pass_mark": 50, "questions": [
	   {"text": "What comes first in a crisis?",
	    "choices": ["A full statement", "Pausing scheduled posts", "Deleting critical comments"],
	    "correct": [1]},
	   {"text": "Who coordinates the answer?",
	    "choices": ["Each unit alone", "The hub's communicators"], "correct": [1]}]}},
	 {"title": "Disclosing sponsored content",
	  "summary": "Readers must see at once that a post was paid for.",
	  "minutes": 10, "unit": false,
	  "lessons": [
	   {"title": "What counts as sponsored",
	    "body": "Anything a partner paid for, in money or in kind."},
	   {"title": "How to say it",
	    "body": "Tag it *sponsored* and say so in the first line: \"This post is sponsored: a partner paid for it.\""}],
	  "quiz": {"pass_mark": 100, "questions": [
	   {"text": "A partner gave us free tickets for a post. Is it sponsored?",
	    "choices": ["Yes", "No"], "correct": [0]}]}},
	 {"title": "Posting for North Chapter",
	  "summary": "Our own habits: the name, the fair, the volunteers.",
	  "minutes": 5, "unit": true,
	  "lessons": [
	   {"title": "Our name",
	    "body": "We are **North Chapter**; Northern Region is the region above us."},
	   {"title": "Thanking volunteers",
	    "body": "Name volunteers only with their consent, first names only."}]}
	]$j$::jsonb) LOOP
		INSERT INTO courses (unit_id, state, created_by, updated_by)
		    VALUES (CASE WHEN (c->>'unit')::boolean THEN nc END,
		    'published', CASE WHEN (c->>'unit')::boolean THEN ow
		    ELSE hr END, CASE WHEN (c->>'unit')::boolean THEN ow
		    ELSE hr END) RETURNING id INTO cid;
		INSERT INTO course_versions (course_id, version, title, summary,
		    minutes, pass_mark, written_by, published_at)
		    VALUES (cid, 1, c->>'title', c->>'summary',
		    (c->>'minutes')::integer, (c->'quiz'->>'pass_mark')::integer,
		    CASE WHEN (c->>'unit')::boolean THEN ow ELSE hr END, now());
		INSERT INTO course_lessons (course_id, version, n, title, body)
		    SELECT cid, 1, e.n, e.x->>'title', e.x->>'body'
		    FROM jsonb_array_elements(c->'lessons') WITH ORDINALITY
		    e (x, n);
		INSERT INTO course_questions (course_id, version, n, text,
		    choices, correct)
		    SELECT cid, 1, e.n, e.x->>'text', e.x->'choices',
		    ARRAY(SELECT k::integer FROM jsonb_array_elements_text(
		    e.x->'correct') k)
		    FROM jsonb_array_elements(coalesce(c->'quiz'->'questions',
		    '[]')) WITH ORDINALITY e (x, n);
		IF guide IS NULL THEN
			guide := cid;
		END IF;
	END LOOP;

	-- HR assigns the guidelines to North Chapter, due in two weeks.
	INSERT INTO course_assignments (course_id, to_unit, due, note,
	    assigned_by) VALUES (guide, nc, (now() + interval '14 days')::date,
	    'Before the autumn fair, please.', hr);

	-- author@ read the lessons and passed the quiz two days ago.
	INSERT INTO lesson_reads (person_id, course_id, version, n, read_at)
	    SELECT au, guide, 1, l.n, now() - interval '2 days'
	    FROM course_lessons l WHERE l.course_id = guide;
	INSERT INTO quiz_attempts (person_id, course_id, version, answers,
	    score, passed, at) VALUES (au, guide, 1, '[[1], [0, 2]]', 100,
	    true, now() - interval '2 days') RETURNING id INTO att;
	INSERT INTO course_completions (person_id, course_id, version,
	    completed_at, attempt_id) VALUES (au, guide, 1,
	    now() - interval '2 days', att);

	INSERT INTO audit_log (at, actor_id, action, object_type, object_id,
	    unit_id, before, after)
	    SELECT c.created_at, c.created_by, 'course.create', 'course',
		c.id::text, c.unit_id, NULL::jsonb, jsonb_build_object('id',
		c.id::text, 'version', 1, 'state', 'published', 'title',
		v.title)
	    FROM courses c JOIN course_versions v ON v.course_id = c.id
	    UNION ALL
	    SELECT a.assigned_at, a.assigned_by, 'assignment.create',
		'course_assignment', a.id::text, a.unit_id, NULL,
		jsonb_build_object('course', a.course_id::text, 'unit',
		'north-chapter', 'due', a.due::text, 'note', a.note)
	    FROM course_assignments a
	    UNION ALL
	    SELECT y.completed_at, y.person_id, 'course.complete', 'course',
		y.course_id::text, y.unit_id, NULL, jsonb_build_object(
		'version', y.version)
	    FROM course_completions y;
END
$$;
