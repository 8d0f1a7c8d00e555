-- 050_units_stamp.sql: a counter per person that moves whenever the
-- list of their units may have changed.
--
-- GET /api/v1/me answers who the caller is (the session's row) and the
-- units they belong to (slug, name, state, role).  A web worker may keep
-- that answer for one session for at most page_memory milliseconds
-- (app/http/page_mem.c) and give it again only while the session's row
-- is the one it was built from; units_stamp, read by the session lookup
-- with the rest of person_marks (044_session_plain.sql), makes that row
-- change when the list does, so the answer needs no statement of its
-- own.
--
-- What moves a person's units_stamp, by one per statement, inside the
-- statement's transaction (a write rolled back leaves no trace):
--
-- * a row of unit_members of theirs inserted, updated or deleted (a
--   membership given, changed, ended; a guest's last day moved);
-- * a unit they belong to renamed, given a new slug or a new state.
--
-- A guest's membership that ends by the clock moves nothing: a kept
-- answer shows it for at most page_memory.  People deleted meanwhile
-- (the cascade of a person's deletion) are skipped, as in
-- ch_marks_roles().  The counters are the schema owner's, written by
-- the definer functions below in person order, so that statements on
-- the same people wait for each other rather than deadlock.

ALTER TABLE person_marks ADD COLUMN units_stamp bigint NOT NULL DEFAULT 0;

-- One more for each of the people ids.
CREATE FUNCTION ch_marks_units_touch(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	INSERT INTO public.person_marks AS k (person_id, units_stamp)
	SELECT p.id, 1 FROM public.people p WHERE p.id = ANY (ids)
	ORDER BY p.id
	ON CONFLICT (person_id) DO UPDATE SET units_stamp = k.units_stamp + 1;
$$;
REVOKE ALL ON FUNCTION ch_marks_units_touch(bigint[]) FROM PUBLIC;

-- A statement on unit_members: the people of its rows, before and after.
CREATE FUNCTION ch_marks_units_members() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM public.ch_marks_units_touch(ARRAY(SELECT n.person_id
		    FROM new_rows n));
	ELSIF TG_OP = 'UPDATE' THEN
		PERFORM public.ch_marks_units_touch(ARRAY(SELECT n.person_id
		    FROM new_rows n UNION SELECT o.person_id FROM old_rows o));
	ELSE
		PERFORM public.ch_marks_units_touch(ARRAY(SELECT o.person_id
		    FROM old_rows o));
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_marks_units_members() FROM PUBLIC;
CREATE TRIGGER person_marks_units_ins AFTER INSERT ON unit_members
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_units_members();
CREATE TRIGGER person_marks_units_upd AFTER UPDATE ON unit_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_units_members();
CREATE TRIGGER person_marks_units_del AFTER DELETE ON unit_members
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_units_members();

-- A statement on units: the members of the units whose slug, name or
-- state it changed.
CREATE FUNCTION ch_marks_units_units() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM public.ch_marks_units_touch(ARRAY(SELECT m.person_id
	    FROM public.unit_members m WHERE m.unit_id IN (SELECT n.id
	    FROM new_rows n JOIN old_rows o ON o.id = n.id
	    WHERE (n.slug, n.name, n.state) IS DISTINCT FROM
	    (o.slug, o.name, o.state))));
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_marks_units_units() FROM PUBLIC;
CREATE TRIGGER person_marks_units_units AFTER UPDATE ON units
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_marks_units_units();

-- The session lookup reads it with the rest (a column added at the end;
-- the view's grants stay).
CREATE OR REPLACE VIEW ch_session_mine WITH (security_barrier) AS
	SELECT p.id, p.email, p.name, coalesce(k.hub_roles, '') AS roles,
	    s.last_seen_at, s.created_at,
	    coalesce(u.version, 0) AS rules_version,
	    u.version IS NULL OR coalesce(k.rules_version, 0) >= u.version
	    AS rules_ok,
	    coalesce(k.unread, 0) AS unread,
	    coalesce(k.units_stamp, 0) AS units_stamp
	FROM public.sessions s JOIN public.people p ON p.id = s.person_id
	LEFT JOIN public.person_marks k ON k.person_id = s.person_id
	CROSS JOIN LATERAL (SELECT max(v.version) AS version
	    FROM public.use_rules v) u
	WHERE s.token_hash = nullif(pg_catalog.current_setting(
	    'chapterhouse.session', true), '')::bytea;
