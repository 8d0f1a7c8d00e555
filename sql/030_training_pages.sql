-- 030_training_pages.sql: what the training pages add to 026_training.sql:
-- the badges of completed courses, and the reminders of assigned courses
-- that the job worker mails.
--
-- One clock: ch_clock() is the database's now(), unless the setting
-- chapterhouse.clock names another instant.  Nothing in the application
-- sets it; a test does (ALTER DATABASE ... SET chapterhouse.clock), so a
-- reminder due in three days is sent without waiting three days.  The
-- reminders below read the time from it alone.

CREATE FUNCTION ch_clock() RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('chapterhouse.clock', true),
	    '')::timestamptz, now())
$$;
GRANT EXECUTE ON FUNCTION ch_clock() TO chapterhouse_web,
    chapterhouse_worker;

-- -- Badges -----------------------------------------------------------------

-- The courses person completed (their latest completed version each), as
-- [{"course","title","version","on"}], oldest first: all of them for the
-- person themself; for HR, and for the reviewers of unit (its owners and
-- editors, the hub's reviewers) when person belongs to it or wrote a post
-- in it, the hub's courses and unit's own.  Empty for anyone else: a
-- reviewer learns what the authors of the posts they review learnt, not
-- what anyone else did.
CREATE FUNCTION ch_training_badges(person bigint, unit bigint)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
	own	boolean := person = me;
BEGIN
	IF me IS NULL OR person IS NULL OR NOT (own
	    OR public.ch_hub_role('hr') OR ((public.ch_post_hub_reviewer()
	    OR coalesce(unit = ANY (public.ch_post_units('review')), false))
	    AND (EXISTS (SELECT 1 FROM public.unit_members m
		WHERE m.unit_id = unit AND m.person_id = person)
	    OR EXISTS (SELECT 1 FROM public.posts p
		WHERE p.unit_id = unit AND p.author_id = person)))) THEN
		RETURN '[]';
	END IF;
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object('course',
	    d.course_id, 'title', v.title, 'version', d.version, 'on',
	    to_char(d.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))
	    ORDER BY d.completed_at, d.course_id), '[]')
	    FROM (SELECT DISTINCT ON (y.course_id) y.course_id, y.version,
		y.unit_id, y.completed_at FROM public.course_completions y
		WHERE y.person_id = person
		ORDER BY y.course_id, y.version DESC) d
	    JOIN public.course_versions v ON v.course_id = d.course_id
	    AND v.version = d.version
	    WHERE own OR d.unit_id IS NULL OR d.unit_id = unit);
END
$$;
REVOKE ALL ON FUNCTION ch_training_badges(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_badges(bigint, bigint)
    TO chapterhouse_web;

-- -- Reminders --------------------------------------------------------------

-- Each reminder mailed: of an assignment, to a person, of a kind
-- ('assigned', 'due_soon', 'overdue'), once each.  unit_id is the
-- assignment's course's (NULL: the hub's), filled from the course.  A
-- person is mailed at most one digest a day: the last sent_at of their
-- rows says when.  The worker writes it through
-- ch_training_claim_reminders() only; the web role has nothing on it.
CREATE TABLE training_reminders (
	unit_id		bigint REFERENCES units,
	assignment_id	bigint NOT NULL REFERENCES course_assignments
	    ON DELETE CASCADE,
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	kind		text NOT NULL
	    CHECK (kind IN ('assigned', 'due_soon', 'overdue')),
	sent_at		timestamptz NOT NULL,
	UNIQUE NULLS NOT DISTINCT (unit_id, assignment_id, person_id, kind)
);
CREATE INDEX training_reminders_person ON training_reminders
    (person_id, sent_at);

ALTER TABLE training_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_reminders FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY training_reminders_definer '
	    'ON training_reminders TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;
-- A person reads the reminders they were sent, HR every one.
CREATE POLICY training_reminders_read ON training_reminders FOR SELECT
    TO chapterhouse_web
    USING (person_id = (SELECT ch_person()) OR (SELECT ch_hub_role('hr')));
GRANT SELECT ON training_reminders TO chapterhouse_web;

-- Claim the reminders due at ch_clock() and return them, one row per
-- (person, assignment), by person then due day.  For each person a
-- published course is assigned to (to them, to a unit they belong to, to
-- a role they hold) and who has not completed its current version, the
-- reminder due is 'overdue' once the due day is past (when overdue is
-- set), 'due_soon' from before days ahead of it (0: never), else
-- 'assigned' (when assigned is set); one not sent yet is due.  A person
-- mailed in the last 24 hours is skipped, and every reminder due to any
-- other person is recorded as sent: the caller mails each person one
-- digest in the same transaction, and rolling back gives them back.  Two
-- workers at once: the second waits for the first's lock, then finds
-- nothing left.
CREATE FUNCTION ch_training_claim_reminders(assigned boolean,
    before integer, overdue boolean)
RETURNS TABLE (person_id bigint, email text, name text, course_id bigint,
    title text, unit text, due date, note text, kind text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	at	timestamptz := public.ch_clock();
	today	date := (public.ch_clock() AT TIME ZONE 'UTC')::date;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('training_reminders'));
	RETURN QUERY
	WITH targets AS (
		SELECT a.id, a.unit_id, a.course_id, a.due, a.note, x.pid
		FROM public.course_assignments a
		JOIN public.courses c ON c.id = a.course_id
		    AND c.state = 'published'
		CROSS JOIN LATERAL (
			SELECT a.to_person AS pid WHERE a.to_person IS NOT NULL
			UNION SELECT m.person_id FROM public.unit_members m
			    WHERE (m.unit_id = a.to_unit OR m.role = a.to_role)
			    AND (m.expires_at IS NULL OR m.expires_at > at)
		) x
		WHERE NOT EXISTS (SELECT 1 FROM public.course_completions y
		    WHERE y.person_id = x.pid AND y.course_id = c.id
		    AND y.version = c.version)
	), due AS (
		SELECT DISTINCT ON (t.id, t.pid) t.*, CASE
		    WHEN overdue AND t.due < today THEN 'overdue'
		    WHEN before > 0 AND t.due >= today
			AND t.due <= today + before THEN 'due_soon'
		    WHEN assigned THEN 'assigned' END AS k
		FROM targets t ORDER BY t.id, t.pid
	), todo AS (
		SELECT d.* FROM due d
		WHERE d.k IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM public.training_reminders s
		    WHERE s.assignment_id = d.id AND s.person_id = d.pid
		    AND (s.kind = d.k OR (d.k = 'assigned'
		    AND s.kind IN ('due_soon', 'overdue'))
		    OR (d.k = 'due_soon' AND s.kind = 'overdue')))
		AND NOT EXISTS (SELECT 1 FROM public.training_reminders s
		    WHERE s.person_id = d.pid
		    AND s.sent_at > at - interval '24 hours')
	), kept AS (
		INSERT INTO public.training_reminders (unit_id, assignment_id,
		    person_id, kind, sent_at)
		SELECT t.unit_id, t.id, t.pid, t.k, at FROM todo t
		RETURNING assignment_id, person_id
	)
	SELECT p.id, p.email, p.name, t.course_id, v.title, u.slug, t.due,
	    t.note, t.k
	FROM todo t JOIN kept k ON k.assignment_id = t.id
	    AND k.person_id = t.pid
	JOIN public.people p ON p.id = t.pid
	JOIN public.courses c ON c.id = t.course_id
	JOIN public.course_versions v ON v.course_id = c.id
	    AND v.version = c.version
	LEFT JOIN public.units u ON u.id = t.unit_id
	ORDER BY p.id, t.due NULLS LAST, t.id;
END
$$;
REVOKE ALL ON FUNCTION ch_training_claim_reminders(boolean, integer, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_claim_reminders(boolean, integer,
    boolean) TO chapterhouse_worker;
