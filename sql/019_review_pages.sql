-- 019_review_pages.sql: what the post page and the inbox page need of the
-- schema beyond the review API (014_posts.sql, 016_posts_review.sql).
--
--   * The header of every signed-in page shows the unread count of the
--     person's inbox.  It travels with the statement that loads the
--     session, which runs before anyone acts for row-level security, so
--     it is read by a definer function keyed by the session's token
--     digest: it tells the count of the person whose session that is,
--     and nothing else.  The web role reads sessions already; the count
--     adds no way to learn another person's inbox.
--   * A decision on a unit (approve, reject, changes, suspend, reinstate,
--     archive) is put in the inbox of the unit's requester and owners,
--     never of the person deciding.

CREATE FUNCTION ch_session_unread(h bytea) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
	SELECT count(*) FROM public.sessions s
	JOIN public.inbox_items i ON i.person_id = s.person_id
	WHERE s.token_hash = h AND i.read_at IS NULL
$$;
REVOKE ALL ON FUNCTION ch_session_unread(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_session_unread(bytea) TO chapterhouse_web;

CREATE FUNCTION unit_decisions_inbox() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	INSERT INTO public.inbox_items (unit_id, person_id, kind, ref_id,
	    actor_id)
	SELECT NEW.unit_id, w.person_id, 'unit_decision', NEW.id,
	    NEW.decided_by FROM (
		SELECT requested_by AS person_id FROM public.units
		WHERE id = NEW.unit_id
		UNION
		SELECT person_id FROM public.unit_members
		WHERE unit_id = NEW.unit_id AND role = 'owner'
		AND (expires_at IS NULL OR expires_at > now())
	) w WHERE w.person_id IS DISTINCT FROM NEW.decided_by;
	RETURN NULL;
END
$$;
CREATE TRIGGER unit_decisions_inbox AFTER INSERT ON unit_decisions
    FOR EACH ROW EXECUTE FUNCTION unit_decisions_inbox();
