-- 003_units.sql: units (the workspaces of the confederation), their
-- members, and the row-level security that isolates them.
--
-- Who is acting comes from the request's transaction:
-- set_config('chapterhouse.person', id, true) and
-- set_config('chapterhouse.hub_roles', 'admin,hr', true), set by the
-- session lookup.  Every policy derives what a person may see from
-- unit_members, so a handler that forgets a WHERE clause still cannot
-- read or change another unit's rows.  RLS is ENABLEd and FORCEd; the web
-- role owns nothing and has no BYPASSRLS.

CREATE TABLE units (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	slug		text NOT NULL UNIQUE
	    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	kind		text NOT NULL CHECK (kind IN ('chapter', 'franchise',
	    'dealership', 'regional_market', 'department', 'agency_team',
	    'other')),
	parent_id	bigint REFERENCES units,
	region		text CHECK (length(region) <= 120),
	purpose		text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 4000),
	audience	text NOT NULL CHECK (length(audience) BETWEEN 1 AND 2000),
	channels	text[] NOT NULL DEFAULT '{}' CHECK (channels <@
	    ARRAY['blog', 'linkedin', 'x', 'facebook', 'instagram', 'other']),
	state		text NOT NULL DEFAULT 'requested'
	    CHECK (state IN ('requested', 'approved', 'rejected',
	    'changes_requested', 'suspended', 'archived')),
	requested_by	bigint NOT NULL REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_state ON units (state, created_at);

CREATE TABLE unit_members (
	unit_id		bigint NOT NULL REFERENCES units ON DELETE CASCADE,
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	role		text NOT NULL
	    CHECK (role IN ('owner', 'editor', 'author', 'guest')),
	expires_at	timestamptz,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, person_id),
	CHECK (role = 'guest' OR expires_at IS NULL)
);
CREATE INDEX unit_members_person ON unit_members (person_id);

-- The acting person (NULL when anonymous) and hub roles.
CREATE FUNCTION ch_person() RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('chapterhouse.person', true), '')::bigint
$$;

CREATE FUNCTION ch_hub_role(role text) RETURNS boolean LANGUAGE sql STABLE
AS $$
	SELECT role = ANY (string_to_array(
	    coalesce(current_setting('chapterhouse.hub_roles', true), ''), ','))
$$;

-- Hub roles see every unit.
CREATE FUNCTION ch_hub_any() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT ch_hub_role('admin') OR ch_hub_role('communicator') OR
	    ch_hub_role('hr')
$$;

-- The units the acting person belongs to (guests until they expire), and
-- those they own.  They read unit_members as its owner, whose own policy
-- below lets it see every row: without that, a policy on unit_members
-- that asks unit_members would recurse.
CREATE FUNCTION ch_my_units() RETURNS SETOF bigint LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT unit_id FROM public.unit_members
	WHERE person_id = public.ch_person()
	AND (expires_at IS NULL OR expires_at > now())
$$;

CREATE FUNCTION ch_my_owned_units() RETURNS SETOF bigint LANGUAGE sql
STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT unit_id FROM public.unit_members
	WHERE person_id = public.ch_person() AND role = 'owner'
$$;

REVOKE ALL ON FUNCTION ch_my_units(), ch_my_owned_units() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_person(), ch_hub_role(text), ch_hub_any(),
    ch_my_units(), ch_my_owned_units() TO chapterhouse_web;

ALTER TABLE units ENABLE ROW LEVEL SECURITY;
ALTER TABLE units FORCE ROW LEVEL SECURITY;
ALTER TABLE unit_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_members FORCE ROW LEVEL SECURITY;

-- The schema owner (running the two functions above) sees memberships.
DO $$
BEGIN
	EXECUTE format('CREATE POLICY unit_members_definer ON unit_members '
	    'FOR SELECT TO %I USING (true)', current_user);
END
$$;

-- Units: approved ones are public; members, the requester and hub roles
-- see theirs.  Nobody deletes a unit (it is archived instead).
CREATE POLICY units_read ON units FOR SELECT TO chapterhouse_web
    USING (state = 'approved' OR id IN (SELECT ch_my_units())
	OR requested_by = ch_person() OR ch_hub_any());
CREATE POLICY units_request ON units FOR INSERT TO chapterhouse_web
    WITH CHECK (requested_by = ch_person());
CREATE POLICY units_change ON units FOR UPDATE TO chapterhouse_web
    USING (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR requested_by = ch_person())
    WITH CHECK (ch_hub_role('admin') OR id IN (SELECT ch_my_owned_units())
	OR requested_by = ch_person());

-- Members: seen by the unit's members and hub roles; managed by its
-- owners and hub admins; the requester may add themselves as the first
-- owner; anyone may leave.
CREATE POLICY unit_members_read ON unit_members FOR SELECT
    TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_units()) OR ch_hub_any());
CREATE POLICY unit_members_add ON unit_members FOR INSERT
    TO chapterhouse_web
    WITH CHECK (unit_id IN (SELECT ch_my_owned_units())
	OR ch_hub_role('admin')
	OR (person_id = ch_person() AND role = 'owner' AND unit_id IN
	    (SELECT id FROM units WHERE requested_by = ch_person())));
CREATE POLICY unit_members_change ON unit_members FOR UPDATE
    TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_owned_units()) OR ch_hub_role('admin'))
    WITH CHECK (unit_id IN (SELECT ch_my_owned_units())
	OR ch_hub_role('admin'));
CREATE POLICY unit_members_remove ON unit_members FOR DELETE
    TO chapterhouse_web
    USING (unit_id IN (SELECT ch_my_owned_units()) OR ch_hub_role('admin')
	OR person_id = ch_person());

GRANT SELECT, INSERT, UPDATE ON units TO chapterhouse_web;
GRANT SELECT, INSERT, UPDATE, DELETE ON unit_members TO chapterhouse_web;
