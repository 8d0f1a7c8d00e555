-- 016_posts_review.sql: what the review API needs of the posts schema
-- (014_posts.sql) beyond what it already enforces.
--
--   * A suggestion on a withdrawn post is refused with CH409, before
--     row-level security answers: the post's readers learn why, instead
--     of a bare refusal.  The post is read as the acting role, so a post
--     it cannot see tells nothing and row-level security refuses the
--     row as before.
--   * A unit's review mode records when it was last chosen.

CREATE FUNCTION post_suggestions_post_open() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM posts p WHERE p.unit_id = NEW.unit_id
	    AND p.id = NEW.post_id AND p.state = 'withdrawn') THEN
		RAISE EXCEPTION 'the post was withdrawn: it takes no suggestions'
		    USING ERRCODE = 'CH409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER post_suggestions_post_open BEFORE INSERT ON post_suggestions
    FOR EACH ROW EXECUTE FUNCTION post_suggestions_post_open();

CREATE FUNCTION unit_review_modes_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;
CREATE TRIGGER unit_review_modes_touch BEFORE UPDATE ON unit_review_modes
    FOR EACH ROW EXECUTE FUNCTION unit_review_modes_touch();
