-- 040_post_reach.sql: the tables of a post read without a definer call.
--
-- Every read policy of the tables of a post asked ch_post_units('read'),
-- a PL/pgSQL SECURITY DEFINER function with SET search_path, once per
-- table and statement (an InitPlan).  A definer call costs a role and a
-- search_path switch and an SPI query: on the post page, whose statement
-- reads five such tables, four of them executed and took a sixth of
-- PostgreSQL's time (bench/RESULTS.md).
--
-- ch_post_reach is a view that computes the same units (the acting
-- person's current memberships, any unit state) by a plain index scan:
-- a view reads its tables with its owner's privileges, so, owned by the
-- schema owner (policy unit_members_definer), it needs no definer
-- function, and PostgreSQL plans it inline into the statement, one
-- InitPlan per policy and statement (an ARRAY() subquery rather than
-- an aggregate: no aggregate node to start at each execution).  Its one
-- column is NULL for the hub's reviewers (ch_post_hub_reviewer(): they
-- read every unit's posts), so a policy asks one InitPlan where it
-- asked two:
--
--   coalesce(unit_id = ANY ((SELECT units FROM ch_post_reach)::bigint[]),
--       true)
--
-- unit_id is in every key of these tables (never NULL); for anyone else
-- the array is never NULL ('{}' for nobody acting).
--
-- What the caller may read is still derived inside the database from
-- unit_members and from chapterhouse.person and chapterhouse.hub_roles
-- only, as before: no new setting is read, so a setting made by hand
-- (chapterhouse.units, ...) widens nothing, and the view binds its
-- table and functions when it is made, so a search_path or a temporary
-- table of the same name changes nothing either.  The web role may read
-- the view (a policy's subquery is checked as the caller): it shows the
-- caller's own memberships, which unit_members already shows them.  It
-- may not write it (an aggregate view is not updatable, and nothing but
-- SELECT is granted) and owns nothing.
--
-- posts_read keeps ch_post_units('read') (rls_cheap.sql counts its one
-- call per statement); the write checks keep theirs (approved units,
-- roles).

CREATE VIEW ch_post_reach (units) AS
	SELECT CASE WHEN ch_post_hub_reviewer() THEN NULL::bigint[]
	    ELSE ARRAY(SELECT m.unit_id FROM unit_members m
	    WHERE m.person_id = ch_person()
	    AND (m.expires_at IS NULL OR m.expires_at > now())) END;
REVOKE ALL ON ch_post_reach FROM PUBLIC;
GRANT SELECT ON ch_post_reach TO chapterhouse_web;

DROP POLICY post_authors_read ON post_authors;
CREATE POLICY post_authors_read ON post_authors FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
DROP POLICY post_revisions_read ON post_revisions;
CREATE POLICY post_revisions_read ON post_revisions FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
DROP POLICY post_publications_read ON post_publications;
CREATE POLICY post_publications_read ON post_publications FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
DROP POLICY post_suggestions_read ON post_suggestions;
CREATE POLICY post_suggestions_read ON post_suggestions FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
DROP POLICY post_comments_read ON post_comments;
CREATE POLICY post_comments_read ON post_comments FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
DROP POLICY post_review_requests_read ON post_review_requests;
CREATE POLICY post_review_requests_read ON post_review_requests FOR SELECT
    TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));
