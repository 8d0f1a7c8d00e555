-- 020_preview_auto.sql: what the preview links' outside reviewers see of
-- their own comments, the reviewers a unit's review mode asks
-- automatically, and when the hub's default mode was set.
--
--   * ch_preview_comments(h): the comments left through the link whose
--     token digest is h, and nothing else of the post's discussion (the
--     unit's own comments stay inside); nothing once the link is no
--     longer usable.
--   * ch_auto_reviewers(post): the people a new post's unit asks for a
--     review by its mode: 'peer' its editors (its owners when it has no
--     editor but the author), 'hub_advisory' the hub's communicators,
--     'none' nobody;
--     never the post's author or co-authors, nor anyone asked already.
--     Only the post's writers get an answer: the list names people and
--     their addresses.

CREATE FUNCTION ch_preview_comments(h bytea)
RETURNS TABLE (id bigint, name text, body text, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT c.id, c.guest_name, c.body, c.created_at
	FROM public.ch_preview_post(h) v
	JOIN public.post_comments c ON c.unit_id = v.unit_id
	    AND c.post_id = v.post_id AND c.preview_link_id = v.link_id
	WHERE v.outcome = 'ok'
	ORDER BY c.created_at, c.id
	LIMIT 200
$$;
REVOKE ALL ON FUNCTION ch_preview_comments(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_preview_comments(bytea) TO chapterhouse_web;

CREATE FUNCTION ch_auto_reviewers(post bigint)
RETURNS TABLE (id bigint, email text, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	WITH p AS (
		SELECT p.unit_id, p.id, p.author_id,
		    public.ch_review_mode(p.unit_id) AS mode
		FROM public.posts p JOIN public.units u ON u.id = p.unit_id
		WHERE p.id = post AND u.state = 'approved'
		AND (p.author_id = public.ch_person() OR EXISTS (SELECT 1
		    FROM public.post_authors a WHERE a.unit_id = p.unit_id
		    AND a.post_id = p.id
		    AND a.person_id = public.ch_person()))
	), editors AS (
		SELECT m.person_id, m.role FROM p
		JOIN public.unit_members m ON m.unit_id = p.unit_id
		WHERE p.mode = 'peer' AND m.role IN ('editor', 'owner')
		AND m.person_id <> p.author_id
	), asked AS (
		SELECT e.person_id FROM editors e
		WHERE e.role = 'editor' OR NOT EXISTS (SELECT 1 FROM editors x
		    WHERE x.role = 'editor')
		UNION
		SELECT h.person_id FROM p JOIN public.hub_roles h
		    ON h.role = 'communicator'
		WHERE p.mode = 'hub_advisory'
	)
	SELECT w.id, w.email, w.name
	FROM asked s JOIN public.people w ON w.id = s.person_id, p
	WHERE w.confirmed_at IS NOT NULL AND w.id <> p.author_id
	AND NOT EXISTS (SELECT 1 FROM public.post_authors a
	    WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	    AND a.person_id = w.id)
	AND NOT EXISTS (SELECT 1 FROM public.post_review_requests q
	    WHERE q.unit_id = p.unit_id AND q.post_id = p.id
	    AND q.reviewer_id = w.id)
	ORDER BY w.id
	LIMIT 50
$$;
REVOKE ALL ON FUNCTION ch_auto_reviewers(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_auto_reviewers(bigint) TO chapterhouse_web;

-- The hub's default review mode records when it was set, as a unit's
-- own mode does (016_posts_review.sql).
CREATE TRIGGER review_policy_touch BEFORE UPDATE ON review_policy
    FOR EACH ROW EXECUTE FUNCTION unit_review_modes_touch();

