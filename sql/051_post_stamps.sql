-- 051_post_stamps.sql: counters that say when a post's page changed.
--
-- A web worker may keep the post page (GET /posts/{id}, HTML) it
-- rendered for one session for at most page_memory milliseconds, and
-- answer it again only while the database says nothing the page shows
-- has changed (app/http/page_mem.c), as it does for the unit page
-- (049_page_stamps.sql).  The page's stamp is read through the view
-- ch_post_stamp, in the request's transaction, and joins:
--
-- * post_stamps: one counter per post, moved by one in each statement
--   that writes the post's suggestions, comments, review requests or
--   co-authors (the page shows them all), inside that statement's
--   transaction; a post with no row yet counts 0;
-- * the post's own row version (its xmin): a save names a new revision,
--   a publication, a schedule or a withdrawal change the row, and any
--   change of it is a new row version written by another transaction.
--   Revisions are never changed once written (014_posts.sql), and the
--   page shows those the post's row and its suggestions and comments
--   name;
-- * page_stamps of the post's unit (the unit's name, slug and state;
--   the caller's role and the unit's owners and editors, from
--   unit_members; the unit's guideline rules linked from suggestions,
--   moved below) and of the confederation, row 0 (people's names and
--   addresses; the hub's roles; the hub's guideline rules and the
--   training badges, moved below).
--
-- Moved here besides post_stamps: guide_unit_rules moves its unit's
-- page_stamps row (ch_page_unit_rows() of 049); guide_hub_rules,
-- course_versions and course_completions move row 0 (ch_page_global()):
-- a suggestion's rule link and the author's badges (ch_training_badges())
-- show on the page.  All rare beside the reads.
--
-- Who reads it: ch_post_stamp is a security-barrier view owned by the
-- schema owner, with the very reach check of ch_post_page
-- (047_post_page.sql), so a stamp is seen only by those who read the
-- post, and only the web role may read it.  post_stamps has row-level
-- security on and forced, and no process role is granted anything on
-- it: the trigger function, a definer, writes it as its owner.

CREATE TABLE post_stamps (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	stamp		bigint NOT NULL,
	PRIMARY KEY (unit_id, post_id)
);
ALTER TABLE post_stamps ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_stamps FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY post_stamps_definer ON post_stamps '
	    'TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
REVOKE ALL ON post_stamps FROM PUBLIC;

-- A statement on a table of a post's rows: one more for each post of its
-- rows, before and after, in post order (statements on the same posts
-- wait for each other rather than deadlock).
CREATE FUNCTION ch_post_stamp_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO public.post_stamps AS s (unit_id, post_id, stamp)
		SELECT DISTINCT n.unit_id, n.post_id, 1 FROM new_rows n
		ORDER BY 1, 2
		ON CONFLICT (unit_id, post_id) DO UPDATE SET stamp = s.stamp + 1;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO public.post_stamps AS s (unit_id, post_id, stamp)
		SELECT x.unit_id, x.post_id, 1 FROM (SELECT n.unit_id,
		    n.post_id FROM new_rows n UNION SELECT o.unit_id, o.post_id
		    FROM old_rows o) x
		ORDER BY 1, 2
		ON CONFLICT (unit_id, post_id) DO UPDATE SET stamp = s.stamp + 1;
	ELSE
		INSERT INTO public.post_stamps AS s (unit_id, post_id, stamp)
		SELECT DISTINCT o.unit_id, o.post_id, 1 FROM old_rows o
		ORDER BY 1, 2
		ON CONFLICT (unit_id, post_id) DO UPDATE SET stamp = s.stamp + 1;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ch_post_stamp_rows() FROM PUBLIC;
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['post_suggestions', 'post_comments',
	    'post_review_requests', 'post_authors'] LOOP
		EXECUTE format('CREATE TRIGGER post_stamps_ins AFTER INSERT '
		    'ON %I REFERENCING NEW TABLE AS new_rows FOR EACH '
		    'STATEMENT EXECUTE FUNCTION ch_post_stamp_rows()', t);
		EXECUTE format('CREATE TRIGGER post_stamps_upd AFTER UPDATE '
		    'ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS '
		    'new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
		    'ch_post_stamp_rows()', t);
		EXECUTE format('CREATE TRIGGER post_stamps_del AFTER DELETE '
		    'ON %I REFERENCING OLD TABLE AS old_rows FOR EACH '
		    'STATEMENT EXECUTE FUNCTION ch_post_stamp_rows()', t);
	END LOOP;
END
$$;

-- A unit's guideline rules: that unit's page_stamps row.
CREATE TRIGGER page_stamps_ins AFTER INSERT ON guide_unit_rules
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_unit_rows();
CREATE TRIGGER page_stamps_upd AFTER UPDATE ON guide_unit_rules
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_unit_rows();
CREATE TRIGGER page_stamps_del AFTER DELETE ON guide_unit_rules
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ch_page_unit_rows();
-- The hub's rules and the courses' completions and titles: row 0.
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['guide_hub_rules', 'course_versions',
	    'course_completions'] LOOP
		EXECUTE format('CREATE TRIGGER page_stamps_global AFTER INSERT '
		    'OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT '
		    'EXECUTE FUNCTION ch_page_global()', t);
	END LOOP;
END
$$;

CREATE VIEW ch_post_stamp WITH (security_barrier) AS
SELECT p.id, concat_ws('.', coalesce(ps.stamp, 0), p.xmin, us.stamp,
    g.stamp) AS stamp
FROM posts p
LEFT JOIN post_stamps ps ON ps.unit_id = p.unit_id AND ps.post_id = p.id
JOIN page_stamps us ON us.unit_id = p.unit_id
JOIN page_stamps g ON g.unit_id = 0
WHERE coalesce(p.unit_id = ANY ((SELECT x.units
    FROM ch_post_reach x)::bigint[]), true);
REVOKE ALL ON ch_post_stamp FROM PUBLIC;
GRANT SELECT ON ch_post_stamp TO chapterhouse_web;
