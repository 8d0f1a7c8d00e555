-- 049_page_stamps.sql: counters that say when a unit's signed-in page
-- changed.
--
-- A web worker may keep, for at most a second, the unit page
-- (GET /units/{slug}, HTML) it rendered for one session, and answer it
-- again only while the database says nothing the page shows has changed
-- since.  page_stamps holds those counters: one row per unit (unit_id),
-- and row 0 for the confederation, whose changes show on every unit
-- page.  The server asks, in the transaction of the request,
--
--   SELECT s.stamp || '.' || g.stamp AS stamp FROM units u
--   JOIN page_stamps s ON s.unit_id = u.id
--   JOIN page_stamps g ON g.unit_id = 0 WHERE u.slug = $1
--
-- and keeps the page only while the answer is the one it rendered with.
-- A stamp only grows, by one in each statement that writes something
-- the page shows, inside that statement's transaction: a committed
-- value names one committed state, and a write rolled back leaves no
-- trace.  No foreign
-- key: row 0 has no unit.  A unit's row is made with the unit; the rows
-- of the units there are now, and row 0, are made below.
--
-- What the page reads (UNIT_GET_PAGE and its handler, app/units/), and
-- so what moves which counter:
--
-- * units: the unit itself; its parent's slug and state; whether the
--   caller owns the parent (the delegated approvers), and the parent's
--   members and state decide who may read and decide a request under
--   it.  An insert, update or delete of a unit moves that unit's stamp
--   and those of the units under it.
-- * unit_members, unit_decisions, unit_answers, invitations: the
--   unit's members, history, answers and pending invitations, and the
--   caller's own role (hence what the page offers).  A write moves the
--   stamp of the unit of each row written, old and new, and those of
--   the units under it (a member of the parent may decide their
--   requests).
-- * people (name and email, or a deletion): a person's name and
--   address show on the page of every unit they belong to, asked for,
--   or invited someone to.  Rare, and with no unit to name: row 0.
-- * screening_questions (the questions beside the answers),
--   approval_policy (whether owners of a parent decide requests under
--   it), reason_codes (the decision form's codes): row 0.
-- * hub_roles: the hub's roles decide what a hub person may see and do
--   on every page (the request's author, the decision form, the
--   invitations); the session lookup gives them to each request from
--   person_marks, which follows hub_roles (044_session_plain.sql).
--   Rare: row 0.
--
-- ch_page_touch(bigint[]) is the one writer: it adds one to the given
-- units' rows and those of the units whose parent is among them (making
-- a row that is missing), in unit order, so that two statements touching
-- the same units wait for each other rather than deadlock.  It and the
-- trigger functions are the schema owner's, SECURITY DEFINER with their
-- search_path set; nobody else may call it.  Statement triggers with
-- transition tables call it once per statement with the units written
-- (a statement that writes no row touches nothing); people's is a row
-- trigger, as only a change of name or email matters.
--
-- Who reads the counters: page_stamps has row-level security on and
-- forced.  Its owner's policy lets the trigger functions write it.  The
-- web role may only SELECT, and sees row 0 and the rows of the units it
-- may read in units (one probe of units' key per stamp read, not a
-- scan of every unit): the policy's subquery on units runs as the caller,
-- under units' own policies, so a stamp says that a unit changed only
-- to those who may read the unit, and at most that.  A slug the caller
-- may not read gives no row, as it gives none in units.  The anonymous
-- role (the public pages have public_changes, 034_public_cache.sql),
-- the job worker and the command line are granted nothing.

CREATE TABLE page_stamps (
	unit_id		bigint PRIMARY KEY,
	stamp		bigint NOT NULL
);
ALTER TABLE page_stamps ENABLE ROW LEVEL SECURITY;
ALTER TABLE page_stamps FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY page_stamps_definer ON page_stamps '
	    'TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
CREATE POLICY page_stamps_read ON page_stamps FOR SELECT
    TO chapterhouse_web
    USING (unit_id = 0 OR EXISTS (SELECT FROM units u
	WHERE u.id = page_stamps.unit_id));
REVOKE ALL ON page_stamps FROM PUBLIC;
GRANT SELECT ON page_stamps TO chapterhouse_web;

-- One more for each of the units ids, 0 the confederation, and for each
-- unit whose parent is one of them; in unit order.
CREATE FUNCTION ch_page_touch(ids bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
	INSERT INTO public.page_stamps AS s (unit_id, stamp)
	SELECT x.id, 1 FROM (SELECT i.id FROM unnest(ids) i (id)
	    WHERE i.id IS NOT NULL
	    UNION SELECT c.id FROM public.units c
	    WHERE c.parent_id = ANY (ids)) x
	ORDER BY x.id
	ON CONFLICT (unit_id) DO UPDATE SET stamp = s.stamp + 1;
$$;
REVOKE ALL ON FUNCTION ch_page_touch(bigint[]) FROM PUBLIC;

-- A unit made, changed or deleted: that unit (its row made at once on
-- insert) and the units under it.
CREATE FUNCTION ch_page_units() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM public.ch_page_touch(ARRAY(SELECT o.id
		    FROM old_rows o));
	ELSE
		PERFORM public.ch_page_touch(ARRAY(SELECT n.id
		    FROM new_rows n));
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_page_units() FROM PUBLIC;
CREATE TRIGGER page_stamps_units_ins AFTER INSERT ON units
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_units();
CREATE TRIGGER page_stamps_units_upd AFTER UPDATE ON units
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_units();
CREATE TRIGGER page_stamps_units_del AFTER DELETE ON units
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_units();

-- A row of a unit's own table written: its unit, before and after.
CREATE FUNCTION ch_page_unit_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM public.ch_page_touch(ARRAY(SELECT DISTINCT n.unit_id
		    FROM new_rows n));
	ELSIF TG_OP = 'UPDATE' THEN
		PERFORM public.ch_page_touch(ARRAY(SELECT n.unit_id
		    FROM new_rows n UNION SELECT o.unit_id FROM old_rows o));
	ELSE
		PERFORM public.ch_page_touch(ARRAY(SELECT DISTINCT o.unit_id
		    FROM old_rows o));
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_page_unit_rows() FROM PUBLIC;
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['unit_members', 'unit_decisions',
	    'unit_answers', 'invitations'] LOOP
		EXECUTE format('CREATE TRIGGER page_stamps_ins AFTER INSERT '
		    'ON %I REFERENCING NEW TABLE AS new_rows FOR EACH '
		    'STATEMENT EXECUTE FUNCTION ch_page_unit_rows()', t);
		EXECUTE format('CREATE TRIGGER page_stamps_upd AFTER UPDATE '
		    'ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS '
		    'new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
		    'ch_page_unit_rows()', t);
		EXECUTE format('CREATE TRIGGER page_stamps_del AFTER DELETE '
		    'ON %I REFERENCING OLD TABLE AS old_rows FOR EACH '
		    'STATEMENT EXECUTE FUNCTION ch_page_unit_rows()', t);
	END LOOP;
END
$$;

-- The confederation's counter: a change that shows on every unit page.
CREATE FUNCTION ch_page_global() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM public.ch_page_touch('{0}');
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_page_global() FROM PUBLIC;
-- A person's name or address changed (a row trigger: only these two
-- columns matter, and a transition table cannot name columns).
CREATE TRIGGER page_stamps_people_upd AFTER UPDATE OF name, email ON people
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
	OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION ch_page_global();
-- People deleted (the job worker removes accounts never confirmed, most
-- often none): only when a row went.
CREATE FUNCTION ch_page_people_gone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF EXISTS (SELECT FROM old_rows) THEN
		PERFORM public.ch_page_touch('{0}');
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_page_people_gone() FROM PUBLIC;
CREATE TRIGGER page_stamps_people_del AFTER DELETE ON people
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_people_gone();
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['screening_questions', 'approval_policy',
	    'reason_codes', 'hub_roles'] LOOP
		EXECUTE format('CREATE TRIGGER page_stamps_global AFTER INSERT '
		    'OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT '
		    'EXECUTE FUNCTION ch_page_global()', t);
	END LOOP;
END
$$;

-- What is there already.
INSERT INTO page_stamps (unit_id, stamp)
    SELECT 0, 1 UNION ALL SELECT id, 1 FROM units;
