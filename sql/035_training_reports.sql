-- 035_training_reports.sql: the reports of training, as HR and a unit's
-- owners read them: who is assigned which course in which unit, and
-- whether and when they completed it.
--
-- An assignment reaches people through a unit: one to a unit reaches its
-- current members there; one to a role reaches everyone holding it, in
-- the unit where they hold it; one to a person reaches them in every unit
-- they belong to (HR alone also sees them under no unit when they belong
-- to none).  A report row is one person, one course, one unit: the
-- earliest due day and assignment of that course to that person there,
-- and the completion of the course's current version (the version the
-- reminders ask for), if any.  Only published courses are reported.
--
-- Who reads which rows is decided here, whatever the application asks:
-- HR every unit, a unit's current owners their units, nobody else
-- anything.  The rows join assignments, memberships and completions
-- that the owners' own policies show only in part (an assignment to a
-- role they do not hold, say), so a definer function reads them and
-- keeps the reader's units alone, in the style of ch_training_people().
-- Days are those of ch_clock() (030_training_pages.sql) in UTC, so a
-- test sets "today".

-- The units whose training reports the acting person reads: every unit
-- for HR, the units they own for anyone else, none when nobody acts.
CREATE FUNCTION ch_training_report_units() RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF public.ch_person() IS NULL THEN
		RETURN '{}';
	END IF;
	IF public.ch_hub_role('hr') THEN
		RETURN ARRAY(SELECT u.id FROM public.units u ORDER BY u.id);
	END IF;
	RETURN public.ch_owned_unit_ids();
END
$$;

-- The report's rows the acting person reads, of unit (NULL: every unit
-- they read) and course (NULL: every course).  unit_id NULL: a person
-- assigned who belongs to no unit, for HR only and without a unit.
CREATE FUNCTION ch_training_report(unit bigint, course bigint)
RETURNS TABLE (unit_id bigint, unit_slug text, unit_name text,
    person_id bigint, person_name text, person_email text,
    course_id bigint, course_unit text, title text, version integer,
    due date, assigned_at timestamptz, completed_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	me	bigint := public.ch_person();
	hr	boolean := public.ch_hub_role('hr');
	mine	bigint[] := public.ch_training_report_units();
	at	timestamptz := public.ch_clock();
BEGIN
	IF me IS NULL OR (NOT hr AND cardinality(mine) = 0) THEN
		RETURN;
	END IF;
	RETURN QUERY
	WITH m AS (
		SELECT x.unit_id, x.person_id, x.role
		FROM public.unit_members x
		WHERE x.expires_at IS NULL OR x.expires_at > at
	), t AS (
		SELECT a.course_id, c.version, y.unit_id, y.pid, a.due,
		    a.assigned_at
		FROM public.course_assignments a
		JOIN public.courses c ON c.id = a.course_id
		    AND c.state = 'published'
		CROSS JOIN LATERAL (
			SELECT m.unit_id, m.person_id AS pid FROM m
			    WHERE m.unit_id = a.to_unit OR m.role = a.to_role
			    OR m.person_id = a.to_person
			UNION ALL SELECT NULL, a.to_person
			    WHERE hr AND unit IS NULL AND a.to_person IS NOT NULL
			    AND NOT EXISTS (SELECT 1 FROM m
				WHERE m.person_id = a.to_person)
		) y
		WHERE (course IS NULL OR a.course_id = course)
		AND (unit IS NULL OR y.unit_id = unit)
		AND (y.unit_id IS NULL OR y.unit_id = ANY (mine))
	), g AS (
		SELECT t.unit_id, t.pid, t.course_id, t.version,
		    min(t.due) AS due, min(t.assigned_at) AS assigned_at
		FROM t GROUP BY t.unit_id, t.pid, t.course_id, t.version
	)
	SELECT g.unit_id, u.slug, u.name, g.pid, p.name, p.email,
	    g.course_id, cu.slug, v.title, g.version, g.due, g.assigned_at,
	    (SELECT min(k.completed_at) FROM public.course_completions k
		WHERE k.person_id = g.pid AND k.course_id = g.course_id
		AND k.version = g.version)
	FROM g
	JOIN public.people p ON p.id = g.pid
	JOIN public.courses c ON c.id = g.course_id
	JOIN public.course_versions v ON v.course_id = g.course_id
	    AND v.version = g.version
	LEFT JOIN public.units u ON u.id = g.unit_id
	LEFT JOIN public.units cu ON cu.id = c.unit_id;
END
$$;

REVOKE ALL ON FUNCTION ch_training_report_units(),
    ch_training_report(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_training_report_units(),
    ch_training_report(bigint, bigint) TO chapterhouse_web;
