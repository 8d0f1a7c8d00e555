-- 026_training.sql: courses, their versions, ordered lessons and quiz,
-- each person's progress: lessons read, quiz attempts (all kept) and
-- completions (with the day and the version completed), and courses
-- assigned to a person, a unit or a unit role.
--
-- One family of tables holds the hub's courses and each unit's own: a
-- course's unit_id is NULL for the hub's, else the unit's.  Every table
-- carries the course's unit_id (filled from the course by a trigger,
-- whatever a writer sends) and its policies test it; versions, lessons,
-- questions and progress treat the hub's and a unit's courses alike, so
-- the guidelines' split (guide_hub_rules, guide_unit_rules) would double
-- each of these six tables and every statement over them.  A key cannot
-- hold a NULL, so primary keys start with the course; courses has the
-- key (unit_id, id) with NULLS NOT DISTINCT.
--
-- A course has a current version; a version once published is kept as
-- it was (a trigger refuses to change or remove it, its lessons or its
-- questions): changing a published course writes the next version, and
-- reads, attempts and completions keep the version they were made on.
--
-- Who may, enforced here whatever the application asks:
--   * the hub's courses are written by HR (hub role hr); a unit's by its
--     owners and editors while it is approved;
--   * a published hub course is read by everyone signed in, a published
--     unit course by the unit's current members and HR; drafts by their
--     writers only;
--   * the right answers (course_questions.correct) are not granted to
--     the web role: writers read them through ch_course_answers(), and
--     ch_training_quiz() scores a submission;
--   * progress is written only by ch_training_lesson() and
--     ch_training_quiz(), for the acting person, on a published course
--     they read; a person reads their own progress, a unit's owners that
--     of the unit's current members, HR everyone's;
--   * HR assigns any course, a unit's owners their unit's courses to its
--     members (see course_assignments below).
--
-- Policies evaluate their checks once per statement (a scalar subquery,
-- an InitPlan), in the style of 013_rls_speed.sql and 021_guidelines.sql.

-- Whether correct is a set of 1 or more distinct indexes (from 0) of the
-- JSON array choices.
CREATE FUNCTION ch_training_correct_ok(choices jsonb, correct integer[])
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(choices) = 'array'
	    AND cardinality(correct) BETWEEN 1 AND jsonb_array_length(choices)
	    AND (SELECT count(DISTINCT x) = cardinality(correct)
		AND bool_and(x IS NOT NULL
		AND x BETWEEN 0 AND jsonb_array_length(choices) - 1)
		FROM unnest(correct) x), false)
$$;

-- -- Tables -----------------------------------------------------------------

CREATE TABLE courses (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id		bigint REFERENCES units,
	state		text NOT NULL DEFAULT 'draft'
	    CHECK (state IN ('draft', 'published')),
	version		integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint NOT NULL REFERENCES people,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (unit_id, id)
);

-- A version: what a course says; pass_mark (a percentage) is NULL for a
-- course without a quiz.
CREATE TABLE course_versions (
	course_id	bigint NOT NULL REFERENCES courses,
	version		integer NOT NULL CHECK (version >= 1),
	unit_id		bigint REFERENCES units,
	title		text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
	summary		text NOT NULL DEFAULT ''
	    CHECK (char_length(summary) <= 2000),
	minutes		integer NOT NULL CHECK (minutes BETWEEN 1 AND 6000),
	pass_mark	integer CHECK (pass_mark BETWEEN 1 AND 100),
	written_by	bigint NOT NULL REFERENCES people,
	written_at	timestamptz NOT NULL DEFAULT now(),
	published_at	timestamptz,
	PRIMARY KEY (course_id, version)
);
CREATE INDEX course_versions_unit ON course_versions (unit_id);

-- The course's current version exists by the end of the transaction.
ALTER TABLE courses ADD FOREIGN KEY (id, version)
    REFERENCES course_versions (course_id, version)
    DEFERRABLE INITIALLY DEFERRED;

-- Lessons, numbered from 1; their bodies are CommonMark.
CREATE TABLE course_lessons (
	course_id	bigint NOT NULL,
	version		integer NOT NULL,
	n		integer NOT NULL CHECK (n BETWEEN 1 AND 100),
	unit_id		bigint REFERENCES units,
	title		text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
	body		text NOT NULL
	    CHECK (char_length(body) BETWEEN 1 AND 100000),
	PRIMARY KEY (course_id, version, n),
	FOREIGN KEY (course_id, version) REFERENCES course_versions
);

-- Quiz questions, numbered from 1: choices a JSON array of texts,
-- correct the indexes (from 0) of the right ones.
CREATE TABLE course_questions (
	course_id	bigint NOT NULL,
	version		integer NOT NULL,
	n		integer NOT NULL CHECK (n BETWEEN 1 AND 100),
	unit_id		bigint REFERENCES units,
	text		text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
	choices		jsonb NOT NULL CHECK (ch_guide_strings(choices, 2, 10, 500)),
	correct		integer[] NOT NULL
	    CHECK (ch_training_correct_ok(choices, correct)),
	PRIMARY KEY (course_id, version, n),
	FOREIGN KEY (course_id, version) REFERENCES course_versions
);

CREATE TABLE lesson_reads (
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	course_id	bigint NOT NULL,
	version		integer NOT NULL,
	n		integer NOT NULL,
	unit_id		bigint REFERENCES units,
	read_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_id, course_id, version, n),
	FOREIGN KEY (course_id, version, n) REFERENCES course_lessons
);
CREATE INDEX lesson_reads_course ON lesson_reads (course_id, version);

-- Every submission of a quiz, scored (a percentage), kept.
CREATE TABLE quiz_attempts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	course_id	bigint NOT NULL,
	version		integer NOT NULL,
	unit_id		bigint REFERENCES units,
	answers		jsonb NOT NULL,
	score		integer NOT NULL CHECK (score BETWEEN 0 AND 100),
	passed		boolean NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (course_id, version) REFERENCES course_versions
);
CREATE INDEX quiz_attempts_person ON quiz_attempts (person_id, course_id);

-- A course completed, once per version: by passing its quiz (the attempt
-- that passed) or, without a quiz, by reading every lesson.
CREATE TABLE course_completions (
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	course_id	bigint NOT NULL,
	version		integer NOT NULL,
	unit_id		bigint REFERENCES units,
	completed_at	timestamptz NOT NULL DEFAULT now(),
	attempt_id	bigint REFERENCES quiz_attempts,
	PRIMARY KEY (person_id, course_id, version),
	FOREIGN KEY (course_id, version) REFERENCES course_versions
);
CREATE INDEX course_completions_course ON course_completions (course_id);

-- -- Triggers ---------------------------------------------------------------

-- A row of a course's table belongs to the course's unit, whatever was
-- sent.  Read as the schema owner: the course is there whoever writes.
CREATE FUNCTION training_unit_fill() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	NEW.unit_id := (SELECT c.unit_id FROM public.courses c
	    WHERE c.id = NEW.course_id);
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION training_unit_fill() FROM PUBLIC;

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['course_versions', 'course_lessons',
	    'course_questions', 'lesson_reads', 'quiz_attempts',
	    'course_completions'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I '
		    'FOR EACH ROW EXECUTE FUNCTION training_unit_fill()',
		    t || '_unit', t);
	END LOOP;
END
$$;

-- A published version is kept as it was, with its lessons and questions.
CREATE FUNCTION training_version_kept() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_TABLE_NAME = 'course_versions' THEN
		IF OLD.published_at IS NOT NULL THEN
			RAISE EXCEPTION 'a published version of a course is '
			    'kept as it was' USING ERRCODE = 'CH409';
		END IF;
	ELSIF EXISTS (SELECT 1 FROM public.course_versions v
	    WHERE v.course_id = OLD.course_id AND v.version = OLD.version
	    AND v.published_at IS NOT NULL) THEN
		RAISE EXCEPTION 'a published version of a course is kept as it '
		    'was' USING ERRCODE = 'CH409';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION training_version_kept() FROM PUBLIC;
CREATE TRIGGER course_versions_kept BEFORE UPDATE OR DELETE
    ON course_versions FOR EACH ROW EXECUTE FUNCTION training_version_kept();
CREATE TRIGGER course_lessons_kept BEFORE UPDATE OR DELETE
    ON course_lessons FOR EACH ROW EXECUTE FUNCTION training_version_kept();
CREATE TRIGGER course_questions_kept BEFORE UPDATE OR DELETE
    ON course_questions FOR EACH ROW
    EXECUTE FUNCTION training_version_kept();

CREATE FUNCTION courses_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER courses_touch BEFORE UPDATE ON courses
    FOR EACH ROW EXECUTE FUNCTION courses_touch();

-- -- Who acts ---------------------------------------------------------------

-- The people whose progress the acting person reads besides their own:
-- the current members of the units they own.  Empty when nobody acts.
CREATE FUNCTION ch_training_people() RETURNS bigint[] LANGUAGE plpgsql
STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN ARRAY(SELECT DISTINCT m.person_id FROM public.unit_members o
	    JOIN public.unit_members m ON m.unit_id = o.unit_id
	    WHERE o.person_id = me AND o.role = 'owner'
	    AND (m.expires_at IS NULL OR m.expires_at > now()));
END
$$;
REVOKE ALL ON FUNCTION ch_training_people() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_people() TO chapterhouse_web;

-- Whether the acting person writes the courses of unit (NULL: the hub's).
-- Inlined: the policies spell the same out as scalar subqueries.
CREATE FUNCTION ch_course_writer(unit bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (unit IS NULL AND ch_hub_role('hr'))
	    OR coalesce(unit = ANY (ch_post_units('review')), false)
$$;
GRANT EXECUTE ON FUNCTION ch_course_writer(bigint) TO chapterhouse_web;

-- -- Row-level security -----------------------------------------------------

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['courses', 'course_versions', 'course_lessons',
	    'course_questions', 'lesson_reads', 'quiz_attempts',
	    'course_completions'] LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
		-- The schema owner sees and writes every row.
		EXECUTE format('CREATE POLICY %I ON %I TO %I USING (true) '
		    'WITH CHECK (true)', t || '_definer', t, current_user);
	END LOOP;
END
$$;

-- Courses: published ones by their readers, every one by its writers.
CREATE POLICY courses_read ON courses FOR SELECT TO chapterhouse_web
    USING ((state = 'published' AND (SELECT ch_person()) IS NOT NULL
	AND (unit_id IS NULL OR (SELECT ch_hub_role('hr'))
	OR unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])))
	OR (unit_id IS NULL AND (SELECT ch_hub_role('hr')))
	OR unit_id = ANY ((SELECT ch_post_units('review'))::bigint[]));
CREATE POLICY courses_add ON courses FOR INSERT TO chapterhouse_web
    WITH CHECK (((unit_id IS NULL AND (SELECT ch_hub_role('hr')))
	OR unit_id = ANY ((SELECT ch_post_units('review'))::bigint[]))
	AND created_by = (SELECT ch_person())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY courses_change ON courses FOR UPDATE TO chapterhouse_web
    USING ((unit_id IS NULL AND (SELECT ch_hub_role('hr')))
	OR unit_id = ANY ((SELECT ch_post_units('review'))::bigint[]))
    WITH CHECK (((unit_id IS NULL AND (SELECT ch_hub_role('hr')))
	OR unit_id = ANY ((SELECT ch_post_units('review'))::bigint[]))
	AND updated_by = (SELECT ch_person()));

-- A course's versions, lessons and questions: read with the course (its
-- policy answers), written by the course's writers.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['course_versions', 'course_lessons',
	    'course_questions'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO '
		    'chapterhouse_web USING (EXISTS (SELECT 1 FROM courses c '
		    'WHERE c.id = course_id))', t || '_read', t);
		EXECUTE format('CREATE POLICY %I ON %I FOR INSERT TO '
		    'chapterhouse_web WITH CHECK ((unit_id IS NULL AND '
		    '(SELECT ch_hub_role(''hr''))) OR unit_id = ANY ((SELECT '
		    'ch_post_units(''review''))::bigint[]))', t || '_add', t);
		EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE TO '
		    'chapterhouse_web USING ((unit_id IS NULL AND '
		    '(SELECT ch_hub_role(''hr''))) OR unit_id = ANY ((SELECT '
		    'ch_post_units(''review''))::bigint[])) WITH CHECK '
		    '((unit_id IS NULL AND (SELECT ch_hub_role(''hr''))) OR '
		    'unit_id = ANY ((SELECT ch_post_units(''review''))'
		    '::bigint[]))', t || '_change', t);
		EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO '
		    'chapterhouse_web USING ((unit_id IS NULL AND '
		    '(SELECT ch_hub_role(''hr''))) OR unit_id = ANY ((SELECT '
		    'ch_post_units(''review''))::bigint[]))', t || '_remove', t);
	END LOOP;
END
$$;

-- Progress: one's own, a unit's owners that of its members, HR all.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['lesson_reads', 'quiz_attempts',
	    'course_completions'] LOOP
		EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO '
		    'chapterhouse_web USING (person_id = (SELECT ch_person()) '
		    'OR (SELECT ch_hub_role(''hr'')) OR person_id = ANY ((SELECT '
		    'ch_training_people())::bigint[]))', t || '_read', t);
	END LOOP;
END
$$;

-- -- Progress, written by definer functions only ---------------------------

-- The acting person's course id when it is published and they read it:
-- a hub course, a course of a unit they belong to, or any for HR.
CREATE FUNCTION ch_training_open(course bigint) RETURNS SETOF courses
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF public.ch_person() IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT c.* FROM public.courses c WHERE c.id = course
	    AND c.state = 'published' AND (c.unit_id IS NULL
	    OR public.ch_hub_role('hr')
	    OR c.unit_id = ANY (public.ch_post_units('read')));
END
$$;
REVOKE ALL ON FUNCTION ch_training_open(bigint) FROM PUBLIC;

-- Lesson n of course read by the acting person.  outcome: 'ok',
-- 'no_course' (none they read) or 'no_lesson' (lessons tells how many
-- there are).  completed: this read completed a course without a quiz.
CREATE FUNCTION ch_training_lesson(course bigint, lesson integer)
RETURNS TABLE (outcome text, lessons integer, completed boolean,
    unit_id bigint, version integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	me	bigint := public.ch_person();
	c	public.courses;
	quiz	boolean;
	done	integer;
BEGIN
	completed := false;
	SELECT * INTO c FROM public.ch_training_open(course);
	IF NOT FOUND THEN
		outcome := 'no_course';
		RETURN NEXT;
		RETURN;
	END IF;
	unit_id := c.unit_id;
	version := c.version;
	SELECT count(*) INTO lessons FROM public.course_lessons l
	    WHERE l.course_id = c.id AND l.version = c.version;
	IF lesson IS NULL OR lesson NOT BETWEEN 1 AND lessons THEN
		outcome := 'no_lesson';
		RETURN NEXT;
		RETURN;
	END IF;
	INSERT INTO public.lesson_reads (person_id, course_id, version, n)
	    VALUES (me, c.id, c.version, lesson) ON CONFLICT DO NOTHING;
	SELECT v.pass_mark IS NOT NULL INTO quiz FROM public.course_versions v
	    WHERE v.course_id = c.id AND v.version = c.version;
	SELECT count(*) INTO done FROM public.lesson_reads r
	    WHERE r.person_id = me AND r.course_id = c.id
	    AND r.version = c.version;
	IF NOT quiz AND done = lessons THEN
		INSERT INTO public.course_completions (person_id, course_id,
		    version) VALUES (me, c.id, c.version) ON CONFLICT DO NOTHING;
		completed := FOUND;
	END IF;
	outcome := 'ok';
	RETURN NEXT;
END
$$;

-- The acting person's answers to the quiz of course: one JSON array of
-- chosen indexes (from 0) per question, in order.  outcome: 'ok' (an
-- attempt recorded, scored as the percentage of questions answered
-- exactly), 'no_course', 'no_quiz', or 'invalid' / 'missing' with field
-- the answer at fault ("answers" or "answers.<i>", from 0); nothing is
-- written unless 'ok'.  Passing completes the version once: of two
-- passing attempts at once both are kept, one completes
-- (completed tells which).
CREATE FUNCTION ch_training_quiz(course bigint, answers jsonb)
RETURNS TABLE (outcome text, field text, score integer, passed boolean,
    completed boolean, unit_id bigint, version integer, attempt bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	me	bigint := public.ch_person();
	c	public.courses;
	mark	integer;
	total	integer;
	good	integer := 0;
	q	record;
	a	jsonb;
	got	integer[];
BEGIN
	completed := false;
	passed := false;
	SELECT * INTO c FROM public.ch_training_open(course);
	IF NOT FOUND THEN
		outcome := 'no_course';
		RETURN NEXT;
		RETURN;
	END IF;
	unit_id := c.unit_id;
	version := c.version;
	SELECT v.pass_mark INTO mark FROM public.course_versions v
	    WHERE v.course_id = c.id AND v.version = c.version;
	SELECT count(*) INTO total FROM public.course_questions k
	    WHERE k.course_id = c.id AND k.version = c.version;
	IF mark IS NULL OR total = 0 THEN
		outcome := 'no_quiz';
		RETURN NEXT;
		RETURN;
	END IF;
	IF jsonb_typeof(answers) IS DISTINCT FROM 'array' THEN
		outcome := 'invalid';
		field := 'answers';
		RETURN NEXT;
		RETURN;
	END IF;
	IF jsonb_array_length(answers) > total THEN
		outcome := 'invalid';
		field := 'answers.' || total;
		RETURN NEXT;
		RETURN;
	END IF;
	IF jsonb_array_length(answers) < total THEN
		outcome := 'missing';
		field := 'answers.' || jsonb_array_length(answers);
		RETURN NEXT;
		RETURN;
	END IF;
	FOR q IN SELECT k.n, k.choices, k.correct FROM public.course_questions k
	    WHERE k.course_id = c.id AND k.version = c.version ORDER BY k.n LOOP
		a := answers -> (q.n - 1);
		IF jsonb_typeof(a) IS DISTINCT FROM 'array'
		    OR jsonb_array_length(a) = 0 OR EXISTS (SELECT 1
		    FROM jsonb_array_elements(a) e WHERE jsonb_typeof(e) <> 'number'
		    OR (e #>> '{}') !~ '^[0-9]{1,3}$'
		    OR (e #>> '{}')::integer >= jsonb_array_length(q.choices)) THEN
			outcome := 'invalid';
			field := 'answers.' || (q.n - 1);
			RETURN NEXT;
			RETURN;
		END IF;
		got := ARRAY(SELECT DISTINCT (e #>> '{}')::integer
		    FROM jsonb_array_elements(a) e ORDER BY 1);
		IF got = ARRAY(SELECT x FROM unnest(q.correct) x ORDER BY x) THEN
			good := good + 1;
		END IF;
	END LOOP;
	score := round(100.0 * good / total);
	passed := score >= mark;
	INSERT INTO public.quiz_attempts (person_id, course_id, version,
	    answers, score, passed) VALUES (me, c.id, c.version, answers,
	    score, passed) RETURNING id INTO attempt;
	IF passed THEN
		INSERT INTO public.course_completions (person_id, course_id,
		    version, attempt_id) VALUES (me, c.id, c.version, attempt)
		    ON CONFLICT DO NOTHING;
		completed := FOUND;
	END IF;
	outcome := 'ok';
	RETURN NEXT;
END
$$;

-- The right answers of version of course, one array of indexes per
-- question in order, for the course's writers only (NULL for anyone
-- else).
CREATE FUNCTION ch_course_answers(course bigint, ver integer)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF public.ch_person() IS NULL OR NOT EXISTS (SELECT 1
	    FROM public.courses c WHERE c.id = course
	    AND public.ch_course_writer(c.unit_id)) THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT jsonb_agg(to_jsonb(k.correct) ORDER BY k.n)
	    FROM public.course_questions k
	    WHERE k.course_id = course AND k.version = ver);
END
$$;

REVOKE ALL ON FUNCTION ch_training_lesson(bigint, integer),
    ch_training_quiz(bigint, jsonb), ch_course_answers(bigint, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_lesson(bigint, integer),
    ch_training_quiz(bigint, jsonb), ch_course_answers(bigint, integer)
    TO chapterhouse_web;

-- -- Writing a course --------------------------------------------------------

-- Write a course as the acting person, under the policies above (an
-- invoker: a refusal is row-level security's, 42501).  course NULL
-- creates one, of the unit at address unit ('' for the hub's); else
-- course is replaced: a version never published is rewritten, a
-- published one is kept and the next version written.  lessons is
-- [{"title","body"}], quiz {"pass_mark","questions":[{"text","choices",
-- "correct"}]} or NULL.  outcome: 'ok', 'no_unit' (no unit at that
-- address), 'not_found' (no course the person reads) or 'forbidden'
-- (read, not written by them); before is the course before a change.
CREATE FUNCTION ch_course_save(course bigint, unit text, st text,
    p_title text, p_summary text, p_minutes integer, lessons jsonb,
    quiz jsonb)
RETURNS TABLE (outcome text, id bigint, unit_id bigint, version integer,
    before jsonb)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
	me	bigint := ch_person();
	cur	courses;
	kept	boolean;
	nv	integer;
BEGIN
	IF course IS NULL THEN
		IF unit <> '' THEN
			SELECT u.id INTO unit_id FROM units u WHERE u.slug = unit;
			IF NOT FOUND THEN
				outcome := 'no_unit';
				RETURN NEXT;
				RETURN;
			END IF;
		END IF;
		INSERT INTO courses (unit_id, state, created_by, updated_by)
		    VALUES (unit_id, st, me, me) RETURNING courses.id INTO id;
		nv := 1;
	ELSE
		SELECT * INTO cur FROM courses c WHERE c.id = course;
		IF NOT FOUND THEN
			outcome := 'not_found';
			RETURN NEXT;
			RETURN;
		END IF;
		IF NOT ch_course_writer(cur.unit_id) THEN
			outcome := 'forbidden';
			RETURN NEXT;
			RETURN;
		END IF;
		SELECT * INTO cur FROM courses c WHERE c.id = course FOR UPDATE;
		id := cur.id;
		unit_id := cur.unit_id;
		SELECT jsonb_build_object('version', v.version, 'state', cur.state,
		    'title', v.title, 'published_at', v.published_at),
		    v.published_at IS NOT NULL INTO before, kept
		    FROM course_versions v
		    WHERE v.course_id = cur.id AND v.version = cur.version;
		nv := CASE WHEN kept THEN cur.version + 1 ELSE cur.version END;
		IF NOT kept THEN
			DELETE FROM course_lessons l
			    WHERE l.course_id = cur.id AND l.version = nv;
			DELETE FROM course_questions k
			    WHERE k.course_id = cur.id AND k.version = nv;
			UPDATE course_versions v SET title = p_title,
			    summary = p_summary, minutes = p_minutes,
			    pass_mark = (quiz->>'pass_mark')::integer,
			    written_by = me, published_at = CASE st
			    WHEN 'published' THEN now() END
			    WHERE v.course_id = cur.id AND v.version = nv;
		END IF;
		UPDATE courses c SET state = st, version = nv, updated_by = me
		    WHERE c.id = cur.id;
	END IF;
	version := nv;
	IF course IS NULL OR kept THEN
		INSERT INTO course_versions (course_id, version, title, summary,
		    minutes, pass_mark, written_by, published_at)
		    VALUES (id, nv, p_title, p_summary, p_minutes,
		    (quiz->>'pass_mark')::integer, me,
		    CASE st WHEN 'published' THEN now() END);
	END IF;
	INSERT INTO course_lessons (course_id, version, n, title, body)
	    SELECT id, nv, e.n, e.x->>'title', e.x->>'body'
	    FROM jsonb_array_elements(lessons) WITH ORDINALITY e (x, n);
	INSERT INTO course_questions (course_id, version, n, text, choices,
	    correct)
	    SELECT id, nv, e.n, e.x->>'text', e.x->'choices',
	    ARRAY(SELECT k::integer FROM jsonb_array_elements_text(
		e.x->'correct') k)
	    FROM jsonb_array_elements(coalesce(quiz->'questions', '[]'))
	    WITH ORDINALITY e (x, n);
	outcome := 'ok';
	RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION ch_course_save(bigint, text, text, text, text,
    integer, jsonb, jsonb) TO chapterhouse_web;

-- -- Grants: what each process uses -----------------------------------------

-- The web role.  A course's unit never changes; who wrote what and when
-- is the database's to record; the right answers are not readable
-- (ch_course_answers(), ch_training_quiz()); progress is read only.  The
-- job worker and the command line get nothing yet.
GRANT SELECT, INSERT (unit_id, state, created_by, updated_by),
    UPDATE (state, version, updated_by) ON courses TO chapterhouse_web;
GRANT SELECT, INSERT (course_id, version, title, summary, minutes,
    pass_mark, written_by, published_at), UPDATE (title, summary, minutes,
    pass_mark, written_by, published_at) ON course_versions
    TO chapterhouse_web;
GRANT SELECT, INSERT (course_id, version, n, title, body), DELETE
    ON course_lessons TO chapterhouse_web;
GRANT SELECT (course_id, version, n, unit_id, text, choices),
    INSERT (course_id, version, n, text, choices, correct), DELETE
    ON course_questions TO chapterhouse_web;
GRANT SELECT ON lesson_reads, quiz_attempts, course_completions
    TO chapterhouse_web;

-- -- Assignments ------------------------------------------------------------

-- A course assigned to one person, to every current member of a unit
-- (members who join later included: the assignment names the unit), or
-- to everyone who holds a unit role anywhere (all unit owners, say),
-- with an optional due day and note.  unit_id is the course's (NULL: the
-- hub's), filled from the course like the tables above.  HR assigns any
-- course to anyone; a unit's owners assign its own courses to its
-- members or to the whole unit, while it is approved.  Those it targets
-- read it, and so do the owners of the course's unit and of the units
-- of the people it targets.
CREATE TABLE course_assignments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses,
	unit_id		bigint REFERENCES units,
	to_person	bigint REFERENCES people ON DELETE CASCADE,
	to_unit		bigint REFERENCES units,
	to_role		text CHECK (to_role IN ('owner', 'editor', 'author',
	    'guest')),
	due		date,
	note		text CHECK (char_length(note) BETWEEN 1 AND 1000),
	assigned_by	bigint NOT NULL REFERENCES people,
	assigned_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(to_person, to_unit, to_role) = 1),
	UNIQUE NULLS NOT DISTINCT (unit_id, id)
);
CREATE INDEX course_assignments_course ON course_assignments (course_id);
CREATE INDEX course_assignments_person ON course_assignments (to_person)
    WHERE to_person IS NOT NULL;
CREATE INDEX course_assignments_to_unit ON course_assignments (to_unit)
    WHERE to_unit IS NOT NULL;
CREATE TRIGGER course_assignments_unit BEFORE INSERT OR UPDATE
    ON course_assignments FOR EACH ROW EXECUTE FUNCTION training_unit_fill();

-- The unit roles the acting person holds now, in any unit.
CREATE FUNCTION ch_training_roles() RETURNS text[] LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN ARRAY(SELECT DISTINCT m.role FROM public.unit_members m
	    WHERE m.person_id = me
	    AND (m.expires_at IS NULL OR m.expires_at > now()));
END
$$;

-- Whether person is a current member of unit, told only to HR and the
-- unit's owners (false for anyone else).
CREATE FUNCTION ch_training_member(unit bigint, person bigint)
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF NOT (public.ch_hub_role('hr')
	    OR unit = ANY (public.ch_owned_unit_ids())) THEN
		RETURN false;
	END IF;
	RETURN EXISTS (SELECT 1 FROM public.unit_members m
	    WHERE m.unit_id = unit AND m.person_id = person
	    AND (m.expires_at IS NULL OR m.expires_at > now()));
END
$$;
REVOKE ALL ON FUNCTION ch_training_roles(), ch_training_member(bigint, bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_roles(),
    ch_training_member(bigint, bigint) TO chapterhouse_web;

ALTER TABLE course_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE course_assignments FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY course_assignments_definer '
	    'ON course_assignments TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;
CREATE POLICY course_assignments_read ON course_assignments FOR SELECT
    TO chapterhouse_web
    USING ((SELECT ch_hub_role('hr')) OR to_person = (SELECT ch_person())
	OR to_unit = ANY ((SELECT ch_unit_ids())::bigint[])
	OR to_role = ANY ((SELECT ch_training_roles())::text[])
	OR unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	OR to_unit = ANY ((SELECT ch_post_units('own'))::bigint[])
	OR to_person = ANY ((SELECT ch_training_people())::bigint[]));
CREATE POLICY course_assignments_add ON course_assignments FOR INSERT
    TO chapterhouse_web
    WITH CHECK (((SELECT ch_hub_role('hr'))
	OR (unit_id = ANY ((SELECT ch_post_units('own'))::bigint[])
	AND to_role IS NULL AND (to_unit IS NULL OR to_unit = unit_id)
	AND (to_person IS NULL OR ch_training_member(unit_id, to_person))))
	AND assigned_by = (SELECT ch_person()));
CREATE POLICY course_assignments_remove ON course_assignments FOR DELETE
    TO chapterhouse_web
    USING ((SELECT ch_hub_role('hr'))
	OR unit_id = ANY ((SELECT ch_post_units('own'))::bigint[]));

-- Assign course as the acting person (an invoker: a refusal is row-level
-- security's) to the person with address person, the unit at address
-- unit or everyone holding role (one of them; the others ''), due on due
-- (NULL: no day) with note ('' for none).  outcome: 'ok' with id;
-- 'forbidden' for anyone but HR and the owners of the course's unit;
-- 'invalid' with field: 'course' (none published the person reads),
-- 'due' (a day past, UTC), 'person' (no such person; for a unit's course,
-- no current member of the unit), 'unit' (no such unit; for a unit's
-- course, another unit), 'role' (a unit's course goes to its members);
-- 'closed' with field 'unit' for a unit that is not approved.
CREATE FUNCTION ch_assignment_add(p_course bigint, p_person text,
    p_unit text, p_role text, p_due date, p_note text)
RETURNS TABLE (outcome text, field text, id bigint, unit_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
	c	courses;
	pid	bigint;
	uid	bigint;
	ust	text;
BEGIN
	outcome := 'invalid';
	SELECT * INTO c FROM courses x WHERE x.id = p_course
	    AND x.state = 'published';
	IF NOT FOUND THEN
		field := 'course';
		RETURN NEXT;
		RETURN;
	END IF;
	unit_id := c.unit_id;
	IF NOT (ch_hub_role('hr')
	    OR coalesce(c.unit_id = ANY (ch_post_units('own')), false)) THEN
		outcome := 'forbidden';
		RETURN NEXT;
		RETURN;
	END IF;
	IF p_due < (now() AT TIME ZONE 'UTC')::date THEN
		field := 'due';
	ELSIF p_person <> '' THEN
		SELECT p.id INTO pid FROM people p
		    WHERE lower(p.email) = lower(p_person);
		IF pid IS NULL OR (c.unit_id IS NOT NULL
		    AND NOT ch_training_member(c.unit_id, pid)) THEN
			field := 'person';
		END IF;
	ELSIF p_unit <> '' THEN
		SELECT u.id, u.state INTO uid, ust FROM units u
		    WHERE u.slug = p_unit;
		IF uid IS NULL OR uid IS DISTINCT FROM coalesce(c.unit_id, uid)
		    THEN
			field := 'unit';
		ELSIF ust <> 'approved' THEN
			outcome := 'closed';
			field := 'unit';
		END IF;
	ELSIF c.unit_id IS NOT NULL THEN
		field := 'role';
	END IF;
	IF field IS NOT NULL THEN
		RETURN NEXT;
		RETURN;
	END IF;
	INSERT INTO course_assignments (course_id, to_person, to_unit, to_role,
	    due, note, assigned_by) VALUES (c.id, pid, uid,
	    nullif(p_role, ''), p_due, nullif(p_note, ''), ch_person())
	    RETURNING course_assignments.id INTO id;
	outcome := 'ok';
	RETURN NEXT;
END
$$;
GRANT EXECUTE ON FUNCTION ch_assignment_add(bigint, text, text, text, date,
    text) TO chapterhouse_web;

GRANT SELECT, INSERT (course_id, to_person, to_unit, to_role, due, note,
    assigned_by), DELETE ON course_assignments TO chapterhouse_web;
