-- 037_advisories.sql: the hub's advisories: short notices the hub's
-- admins and communicators write for the units, some of them for the
-- public too, each shown from one day to another.
--
-- An advisory has a title, a body in CommonMark (rendered by the
-- application's safe renderer), whether the public reads it, the first
-- day it is shown (starts_on) and optionally the last (ends_on), days in
-- UTC.  It is current from the start of its first day to the end of its
-- last.  Advisories are the confederation's, not a unit's: their
-- unit_id is 0, the confederation's number in public_changes, and it
-- leads every key as a unit's would.
--
-- Who may, enforced here whatever the application asks:
--   * hub admins and communicators read every advisory, current or not,
--     and write them, in their own name;
--   * the members of approved units read the current ones;
--   * everyone signed in, and the public (chapterhouse_anon), read the
--     current public ones, and nothing else.
-- A change of an advisory is a change of the confederation's public
-- face (034_public_cache.sql): its row of public_changes moves, and so
-- does the validator of the front page when an advisory's first day
-- begins or its last ends (ch_advisories_edge()).

CREATE TABLE hub_advisories (
	unit_id		bigint NOT NULL DEFAULT 0 CHECK (unit_id = 0),
	id		bigint GENERATED ALWAYS AS IDENTITY,
	title		text NOT NULL CHECK (char_length(title)
	    BETWEEN 1 AND 200),
	body		text NOT NULL CHECK (octet_length(body) <= 20000),
	public		boolean NOT NULL DEFAULT false,
	starts_on	date NOT NULL,
	ends_on		date CHECK (ends_on >= starts_on),
	created_by	bigint NOT NULL REFERENCES people,
	updated_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, id)
);
CREATE INDEX hub_advisories_public ON hub_advisories (unit_id,
    starts_on DESC, id DESC) WHERE public;

-- Whether an advisory from first to last (NULL: no end) is current.
-- Inlined where it is used.
CREATE FUNCTION ch_advisory_current(first date, last date)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT first <= (now() AT TIME ZONE 'UTC')::date AND (last IS NULL
	    OR last >= (now() AT TIME ZONE 'UTC')::date)
$$;

-- The hub roles that write advisories.
CREATE FUNCTION ch_advisory_writer() RETURNS boolean LANGUAGE sql STABLE
AS $$
	SELECT ch_hub_role('admin') OR ch_hub_role('communicator')
$$;

CREATE FUNCTION hub_advisories_touch() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER hub_advisories_touch BEFORE UPDATE ON hub_advisories
    FOR EACH ROW EXECUTE FUNCTION hub_advisories_touch();

-- An advisory was added, changed or removed: the confederation's public
-- face changed, once per statement.
CREATE FUNCTION hub_advisories_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
	UPDATE public.public_changes SET
	    version = nextval('public.public_change_seq'),
	    changed_at = greatest(clock_timestamp(), changed_at)
	    WHERE unit_id = 0;
	RETURN NULL;
END
$$;
CREATE TRIGGER hub_advisories_changed
    AFTER INSERT OR UPDATE OR DELETE ON hub_advisories
    FOR EACH STATEMENT EXECUTE FUNCTION hub_advisories_changed();

-- The latest time, not after now, at which a public advisory became
-- current or stopped being so (the start of its first day, the end of
-- its last), or NULL: the public pages' validator moves with it, since
-- nothing is written when a day begins.  It tells no more than the
-- front page shows.
CREATE FUNCTION ch_advisories_edge() RETURNS timestamptz
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	RETURN (SELECT max(e.at) FROM public.hub_advisories a,
	    LATERAL (VALUES (a.starts_on::timestamp AT TIME ZONE 'UTC'),
	    ((a.ends_on + 1)::timestamp AT TIME ZONE 'UTC')) e (at)
	    WHERE a.unit_id = 0 AND a.public AND e.at <= now());
END
$$;

ALTER TABLE hub_advisories ENABLE ROW LEVEL SECURITY;
ALTER TABLE hub_advisories FORCE ROW LEVEL SECURITY;

-- The schema owner, running the definer functions, sees every row.
DO $$
BEGIN
	EXECUTE format('CREATE POLICY hub_advisories_definer ON '
	    'hub_advisories TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;

-- The public reads the current public advisories; a row costs no
-- function call.
CREATE POLICY hub_advisories_anon ON hub_advisories FOR SELECT
    TO chapterhouse_anon
    USING (public AND ch_advisory_current(starts_on, ends_on));

-- Signed in: hub writers read all; members of approved units the
-- current ones; anyone the current public ones.
CREATE POLICY hub_advisories_read ON hub_advisories FOR SELECT
    TO chapterhouse_web
    USING ((SELECT ch_advisory_writer())
	OR (ch_advisory_current(starts_on, ends_on) AND (public
	OR cardinality((SELECT ch_post_units('write'))) > 0)));
CREATE POLICY hub_advisories_add ON hub_advisories FOR INSERT
    TO chapterhouse_web
    WITH CHECK ((SELECT ch_advisory_writer())
	AND created_by = (SELECT ch_person())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY hub_advisories_change ON hub_advisories FOR UPDATE
    TO chapterhouse_web USING ((SELECT ch_advisory_writer()))
    WITH CHECK ((SELECT ch_advisory_writer())
	AND updated_by = (SELECT ch_person()));
CREATE POLICY hub_advisories_remove ON hub_advisories FOR DELETE
    TO chapterhouse_web USING ((SELECT ch_advisory_writer()));

-- Grants: the web server writes through the policies above; the public
-- reads; the worker has nothing to do with advisories.
GRANT SELECT, INSERT, UPDATE, DELETE ON hub_advisories TO chapterhouse_web;
GRANT SELECT ON hub_advisories TO chapterhouse_anon;
REVOKE ALL ON FUNCTION ch_advisories_edge() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_advisory_current(date, date),
    ch_advisories_edge() TO chapterhouse_web, chapterhouse_anon;
GRANT EXECUTE ON FUNCTION ch_advisory_writer() TO chapterhouse_web;
