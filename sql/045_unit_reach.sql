-- 045_unit_reach.sql: a unit's members, decisions and answers read
-- without a definer call.
--
-- The read policies of unit_members, unit_decisions and unit_answers
-- asked ch_unit_ids(), a PL/pgSQL SECURITY DEFINER function with SET
-- search_path, once per table and statement (an InitPlan).  A definer
-- call costs a role and a search_path switch and an SPI query of its
-- own: on the signed-in unit page, whose one statement reads the
-- decisions and the members, the two calls executed were the largest
-- nodes of its plan (0.072 and 0.025 ms of 0.68, bench/RESULTS.md).
--
-- ch_unit_reach is a view that computes the same units (the acting
-- person's current memberships, any unit state) by a plain index scan,
-- as ch_post_reach does for the tables of a post (040_post_reach.sql):
-- owned by the schema owner (policy unit_members_definer), it reads
-- unit_members with its owner's privileges, needs no definer function,
-- and PostgreSQL plans it inline into the statement, one InitPlan per
-- policy and statement (an ARRAY() subquery: no aggregate node).  The
-- policies are otherwise the ones of 013_rls_speed.sql: hub roles first,
-- nothing for nobody acting (ch_person() IS NOT NULL is checked before
-- the InitPlan runs), the delegated approvers' units still from
-- ch_delegated_unit_ids(), asked only when the caller's own units do
-- not already cover the row.
--
-- What the caller may read is still derived inside the database from
-- unit_members and chapterhouse.person and chapterhouse.hub_roles only:
-- no new setting is read, so a setting made by hand widens nothing, and
-- the view binds its table and functions when it is made.  The web role
-- may read the view (a policy's subquery is checked as the caller): it
-- shows the caller's own current memberships, which unit_members already
-- shows them.  It may not write it (nothing but SELECT is granted) and
-- owns nothing.  units_read, whose InitPlans do not run for an approved
-- unit, keeps its functions.

CREATE VIEW ch_unit_reach (units) AS
	SELECT ARRAY(SELECT m.unit_id FROM unit_members m
	    WHERE m.person_id = ch_person()
	    AND (m.expires_at IS NULL OR m.expires_at > now()));
REVOKE ALL ON ch_unit_reach FROM PUBLIC;
GRANT SELECT ON ch_unit_reach TO chapterhouse_web;

DROP POLICY unit_members_read ON unit_members;
CREATE POLICY unit_members_read ON unit_members FOR SELECT
    TO chapterhouse_web
    USING ((person_id = ch_person()
	AND (expires_at IS NULL OR expires_at > now()))
	OR ch_hub_any() OR (ch_person() IS NOT NULL
	AND unit_id = ANY ((SELECT r.units FROM ch_unit_reach r)::bigint[])));

DROP POLICY unit_decisions_read ON unit_decisions;
CREATE POLICY unit_decisions_read ON unit_decisions FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR (ch_person() IS NOT NULL
	AND (unit_id = ANY ((SELECT r.units FROM ch_unit_reach r)::bigint[])
	OR unit_id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));

DROP POLICY unit_answers_read ON unit_answers;
CREATE POLICY unit_answers_read ON unit_answers FOR SELECT
    TO chapterhouse_web
    USING (ch_hub_any() OR (ch_person() IS NOT NULL
	AND (unit_id = ANY ((SELECT r.units FROM ch_unit_reach r)::bigint[])
	OR unit_id = ANY ((SELECT ch_delegated_unit_ids())::bigint[]))));
