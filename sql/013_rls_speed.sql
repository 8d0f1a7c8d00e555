-- 013_rls_speed.sql: the same row-level security, evaluated in
-- microseconds.
--
-- Until now every policy on a tenant table asked SECURITY DEFINER
-- set-returning SQL functions (ch_my_units(), ch_my_owned_units(),
-- ch_delegated_units()) which PostgreSQL can neither inline nor keep a
-- plan of: each call planned its body again, in each subquery of each
-- statement, anonymous requests included, and ch_may_decide() did so for
-- every row it was asked about.  A unit's page spent about a millisecond
-- of the database's time in them.
--
-- What stays: who acts is still only chapterhouse.person and
-- chapterhouse.hub_roles, set by the session lookup; what a person may
-- see is still derived, inside the database, from unit_members and units
-- as they are at that moment.  No new setting is trusted: nothing the
-- web role could set by hand (a list of units, say) is read by any
-- policy or function.
--
-- What changes:
--   * The caller's units are computed by three PL/pgSQL definer
--     functions returning arrays (ch_unit_ids(), ch_owned_unit_ids(),
--     ch_delegated_unit_ids()).  PL/pgSQL keeps the plans of its queries
--     for the life of the connection, and an anonymous caller returns at
--     once without a query.
--   * Policies call them as a scalar subquery, unit_id = ANY ((SELECT
--     ch_unit_ids())::bigint[]) (the cast keeps it a scalar subquery
--     rather than "= ANY (subquery)"), which PostgreSQL evaluates at most
--     once per statement (an InitPlan), and only when a row gets that
--     far: each policy tries the checks that cost nothing first
--     (approved, the requester, hub roles, one's own membership) and
--     asks no function for an anonymous caller.
--   * One's own memberships are visible by a first test that reads only
--     the row, so a person's role in a unit and their list of units need
--     no function at all.
--   * ch_may_decide() becomes an expression PostgreSQL inlines: a hub
--     admin is answered without any call, anyone else by one call.
--   * Indexes for what the delegation and requester checks look up.
--
-- The old set-returning functions stay, with the same results, for the
-- statements and triggers that use them (written over the arrays).

-- The units the acting person belongs to (guests until their last day),
-- those they own, and those they may decide as a delegate: the children
-- of an approved unit they own, when the policy delegates, except their
-- own requests and units they own (010_unit_guards.sql).  Empty when
-- nobody acts.  Read as the schema owner (policy unit_members_definer),
-- so the policies on unit_members may ask them without recursing.
CREATE FUNCTION ch_unit_ids() RETURNS bigint[] LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN ARRAY(SELECT m.unit_id FROM public.unit_members m
	    WHERE m.person_id = me
	    AND (m.expires_at IS NULL OR m.expires_at > now()));
END
$$;

CREATE FUNCTION ch_owned_unit_ids() RETURNS bigint[] LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN ARRAY(SELECT m.unit_id FROM public.unit_members m
	    WHERE m.person_id = me AND m.role = 'owner');
END
$$;

CREATE FUNCTION ch_delegated_unit_ids() RETURNS bigint[] LANGUAGE plpgsql
STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
BEGIN
	IF me IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN ARRAY(SELECT c.id FROM public.unit_members m
	    JOIN public.units pu ON pu.id = m.unit_id AND pu.state = 'approved'
	    JOIN public.units c ON c.parent_id = pu.id AND c.id <> pu.id
	    WHERE m.person_id = me AND m.role = 'owner'
	    AND c.requested_by <> me
	    AND NOT EXISTS (SELECT 1 FROM public.unit_members o
		WHERE o.unit_id = c.id AND o.person_id = me
		AND o.role = 'owner')
	    AND (SELECT a.delegate FROM public.approval_policy a));
END
$$;

REVOKE ALL ON FUNCTION ch_unit_ids(), ch_owned_unit_ids(),
    ch_delegated_unit_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_unit_ids(), ch_owned_unit_ids(),
    ch_delegated_unit_ids() TO chapterhouse_web;

-- The set-returning forms, for the statements and triggers that use
-- them; no longer definers themselves, they ask the arrays above.
CREATE OR REPLACE FUNCTION ch_my_units() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
	RETURN QUERY SELECT unnest(public.ch_unit_ids());
END
$$;

CREATE OR REPLACE FUNCTION ch_my_owned_units() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
	RETURN QUERY SELECT unnest(public.ch_owned_unit_ids());
END
$$;

CREATE OR REPLACE FUNCTION ch_delegated_units() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
	RETURN QUERY SELECT unnest(public.ch_delegated_unit_ids());
END
$$;

-- One test of the hub roles instead of three.
CREATE OR REPLACE FUNCTION ch_hub_any() RETURNS boolean LANGUAGE sql STABLE
AS $$
	SELECT string_to_array(coalesce(current_setting('chapterhouse.hub_roles',
	    true), ''), ',') && ARRAY['admin', 'communicator', 'hr']
$$;

-- Inlined where it is used (no subquery in its body): hub admins decide
-- every request, delegates the units of ch_delegated_unit_ids().
CREATE OR REPLACE FUNCTION ch_may_decide(unit bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT ch_hub_role('admin') OR (ch_person() IS NOT NULL
	    AND unit = ANY (ch_delegated_unit_ids()))
$$;

-- Units: approved ones are public; the requester, hub roles, members and
-- delegates see theirs.
DROP POLICY units_read ON units;
CREATE POLICY units_read ON units FOR SELECT TO chapterhouse_web
    USING (state = 'approved' OR requested_by = ch_person() OR ch_hub_any()
	OR (ch_person() IS NOT NULL
	AND (id = ANY ((SELECT ch_unit_ids())::bigint[])
	OR id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));
DROP POLICY units_change ON units;
CREATE POLICY units_change ON units FOR UPDATE TO chapterhouse_web
    USING (ch_hub_role('admin') OR (ch_person() IS NOT NULL
	AND (id = ANY ((SELECT ch_owned_unit_ids())::bigint[])
	OR id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))))
    WITH CHECK (ch_hub_role('admin') OR (ch_person() IS NOT NULL
	AND (id = ANY ((SELECT ch_owned_unit_ids())::bigint[])
	OR id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));

-- Members: one's own current memberships first (no function: the row
-- says it; one policy, since PostgreSQL picks the order in which it ORs
-- permissive policies), then hub roles and the members of one's units.
DROP POLICY unit_members_read ON unit_members;
CREATE POLICY unit_members_read ON unit_members FOR SELECT
    TO chapterhouse_web
    USING ((person_id = ch_person()
	AND (expires_at IS NULL OR expires_at > now()))
	OR ch_hub_any() OR (ch_person() IS NOT NULL
	AND unit_id = ANY ((SELECT ch_unit_ids())::bigint[])));
DROP POLICY unit_members_change ON unit_members;
CREATE POLICY unit_members_change ON unit_members FOR UPDATE
    TO chapterhouse_web
    USING (ch_hub_role('admin')
	OR unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[]))
    WITH CHECK (ch_hub_role('admin')
	OR unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[]));
DROP POLICY unit_members_remove ON unit_members;
CREATE POLICY unit_members_remove ON unit_members FOR DELETE
    TO chapterhouse_web
    USING (ch_hub_role('admin') OR person_id = ch_person()
	OR unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[]));

-- Decisions and answers: hub roles, members and delegates read them.
DROP POLICY unit_decisions_read ON unit_decisions;
CREATE POLICY unit_decisions_read ON unit_decisions FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR (ch_person() IS NOT NULL
	AND (unit_id = ANY ((SELECT ch_unit_ids())::bigint[])
	OR unit_id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));
DROP POLICY unit_answers_read ON unit_answers;
CREATE POLICY unit_answers_read ON unit_answers FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR (ch_person() IS NOT NULL
	AND (unit_id = ANY ((SELECT ch_unit_ids())::bigint[])
	OR unit_id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));

-- Invitations: the unit's owners and hub admins.
DROP POLICY invitations_read ON invitations;
CREATE POLICY invitations_read ON invitations FOR SELECT TO chapterhouse_web
    USING (ch_hub_role('admin') OR (ch_person() IS NOT NULL
	AND unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[])));

-- What the delegation and requester checks look up.
CREATE INDEX units_parent ON units (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX units_requested_by ON units (requested_by);

-- A person's own pending invitations (012_home.sql), the same rows in
-- PL/pgSQL: a SQL function called from a statement is planned at every
-- call, where PL/pgSQL keeps its plan for the life of the connection.
CREATE OR REPLACE FUNCTION ch_my_invitations()
RETURNS TABLE (slug text, unit text, role text, inviter text,
    last_day date, expires_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
	me	text;
BEGIN
	SELECT p.email INTO me FROM public.people p
	    WHERE p.id = public.ch_person();
	IF me IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT x.slug, x.unit, x.role, x.inviter, x.last_day,
	    x.expires_at FROM (
		SELECT DISTINCT ON (i.unit_id, i.role) u.slug, u.name AS unit,
		    i.role, p.name AS inviter, ((i.guest_until AT TIME ZONE
		    'UTC') - interval '1 microsecond')::date AS last_day,
		    i.expires_at
		FROM public.invitations i
		JOIN public.units u ON u.id = i.unit_id
		JOIN public.people p ON p.id = i.invited_by
		WHERE lower(i.email) = lower(me)
		    AND i.accepted_at IS NULL AND i.revoked_at IS NULL
		    AND i.expires_at > now()
		ORDER BY i.unit_id, i.role, i.expires_at DESC
	) x ORDER BY x.expires_at, x.unit;
END
$$;
