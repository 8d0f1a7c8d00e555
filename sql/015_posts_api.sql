-- 015_posts_api.sql: what the posts API adds to sql/014_posts.sql.
--
--   * a withdrawn post gets no new revision (CH409): its text stays as it
--     was withdrawn, and an edit is not made public by accident when the
--     post is published again.  Publishing it again (or scheduling it)
--     reopens it.
--
-- Runs as the acting role, after post_revisions_next (triggers of one
-- event fire in name order): a post it may not see is not found here,
-- and row-level security refuses the revision afterwards without this
-- trigger having told anything about it.
CREATE FUNCTION post_revisions_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM posts p WHERE p.unit_id = NEW.unit_id
	    AND p.id = NEW.post_id AND p.state = 'withdrawn') THEN
		RAISE EXCEPTION 'a withdrawn post is not edited'
		    USING ERRCODE = 'CH409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER post_revisions_open BEFORE INSERT ON post_revisions
    FOR EACH ROW EXECUTE FUNCTION post_revisions_open();
