-- 043_post_save_cheap.sql: a draft save with fewer definer calls, one
-- trigger on the revision where there were two, and a new post written
-- once.
--
-- A new draft cost PostgreSQL about 3 ms (bench/RESULTS.md): seven calls
-- of the definer ch_post_units() in the policies of the post, its
-- revision and the reads behind them; the post row written twice (its
-- INSERT, then post_revisions_latest updating its revision and title
-- through posts_check_move, a non-HOT update of five indexes); two
-- BEFORE triggers on the revision, each reading the post.
--
--   * The write policies of posts and post_revisions ask the view
--     ch_post_write_reach (the acting person's current memberships in
--     approved units), and posts_read asks ch_post_reach
--     (040_post_reach.sql), instead of ch_post_units('write') and
--     ch_post_units('read'): the views are owned by the schema owner and
--     planned inline, one InitPlan per policy and statement, no definer
--     call.  The same units as before, from unit_members, units,
--     chapterhouse.person and chapterhouse.hub_roles only.
--   * post_revisions_next also makes post_revisions_open's check (a
--     withdrawn post takes no revision, CH409) on the post row it
--     already locks; post_revisions_open goes.  The order of the
--     refusals is kept: an outdated base is CH412 first.
--   * A revision whose number is given skips post_revisions_next: only
--     a role with the privilege on the column number (the schema owner,
--     in a definer function that makes the checks itself) can give it;
--     the web role cannot (no INSERT on number), so every revision it
--     writes is still numbered and checked by the trigger.
--   * ch_post_first(), a definer function, writes a new post with its
--     first revision's number and title in its one INSERT, the revision
--     numbered 1 and the audit entry, after checking what posts_create
--     checks (a current member of the approved unit, in their own
--     name): 42501 otherwise, with nothing written.
--     post_revisions_latest then finds the post already at revision 1
--     and writes nothing.  ch_post_create() stays SECURITY INVOKER: it
--     finds the unit of slug as the caller reads it (no row: 404, as
--     before) and answers the rules and review mode as before.

-- The units where the acting person may write posts: their current
-- memberships (a guest until their last day) in approved units.  Owned
-- by the schema owner, like ch_post_reach; '{}' for nobody acting.
CREATE VIEW ch_post_write_reach (units) AS
	SELECT ARRAY(SELECT m.unit_id FROM unit_members m
	    JOIN units u ON u.id = m.unit_id
	    WHERE m.person_id = ch_person()
	    AND (m.expires_at IS NULL OR m.expires_at > now())
	    AND u.state = 'approved');
REVOKE ALL ON ch_post_write_reach FROM PUBLIC;
GRANT SELECT ON ch_post_write_reach TO chapterhouse_web;

DROP POLICY posts_read ON posts;
CREATE POLICY posts_read ON posts FOR SELECT TO chapterhouse_web
    USING (coalesce(unit_id = ANY ((SELECT r.units
	FROM ch_post_reach r)::bigint[]), true));

DROP POLICY posts_create ON posts;
CREATE POLICY posts_create ON posts FOR INSERT TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person()) AND state = 'draft'
	AND unit_id = ANY ((SELECT w.units
	FROM ch_post_write_reach w)::bigint[]));

DROP POLICY posts_write ON posts;
CREATE POLICY posts_write ON posts FOR UPDATE TO chapterhouse_web
    USING (unit_id = ANY ((SELECT w.units
	FROM ch_post_write_reach w)::bigint[])
	AND (author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = posts.unit_id
	AND a.post_id = posts.id AND a.person_id = (SELECT ch_person()))))
    WITH CHECK (unit_id = ANY ((SELECT w.units
	FROM ch_post_write_reach w)::bigint[]));

DROP POLICY post_revisions_write ON post_revisions;
CREATE POLICY post_revisions_write ON post_revisions FOR INSERT
    TO chapterhouse_web
    WITH CHECK (author_id = (SELECT ch_person())
	AND unit_id = ANY ((SELECT w.units
	FROM ch_post_write_reach w)::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	post_revisions.unit_id AND p.id = post_revisions.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))));

-- A new revision follows the latest one (014_posts.sql), and a
-- withdrawn post takes none (015_posts_api.sql), checked on the one
-- read of the post, which locks it.  Runs as the acting role: a post it
-- may not write is not found, and row-level security refuses the
-- revision afterwards without this trigger having told anything.
CREATE OR REPLACE FUNCTION post_revisions_next() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	latest	integer;
	st	text;
BEGIN
	SELECT p.revision, p.state INTO latest, st FROM posts p
	    WHERE p.unit_id = NEW.unit_id AND p.id = NEW.post_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	IF NEW.base IS DISTINCT FROM nullif(latest, 0) THEN
		RAISE EXCEPTION 'the post is at revision %, not %', latest,
		    coalesce(NEW.base, 0) USING ERRCODE = 'CH412';
	END IF;
	IF st = 'withdrawn' THEN
		RAISE EXCEPTION 'a withdrawn post is not edited'
		    USING ERRCODE = 'CH409';
	END IF;
	NEW.number := coalesce(NEW.base, 0) + 1;
	NEW.created_at := now();
	RETURN NEW;
END
$$;
DROP TRIGGER post_revisions_open ON post_revisions;
DROP TRIGGER post_revisions_next ON post_revisions;
CREATE TRIGGER post_revisions_next BEFORE INSERT ON post_revisions
    FOR EACH ROW WHEN (NEW.number IS NULL)
    EXECUTE FUNCTION post_revisions_next();

-- A new draft in unit in the acting person's name: the post (already
-- at revision 1, with its title), its first revision and the audit
-- entry post.create.  Returns the post's id.  42501 when the acting
-- person is not a current member of unit, or unit is not approved (what
-- posts_create says for the web role), nothing written.
CREATE FUNCTION ch_post_first(unit bigint, title text, body text,
    tags text[], channels text[])
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
	me	bigint := public.ch_person();
	p	bigint;
BEGIN
	IF me IS NULL OR unit IS NULL OR NOT unit = ANY ((SELECT w.units
	    FROM public.ch_post_write_reach w)::bigint[]) THEN
		RAISE EXCEPTION 'new row violates row-level security policy '
		    'for table "posts"' USING ERRCODE = 'insufficient_privilege';
	END IF;
	INSERT INTO public.posts (unit_id, author_id, title, revision)
	    VALUES (unit, me, title, 1) RETURNING id INTO p;
	INSERT INTO public.post_revisions (unit_id, post_id, number, base,
	    author_id, created_at, title, body, tags, channels)
	    VALUES (unit, p, 1, NULL, me, now(), title, body, tags, channels);
	INSERT INTO public.audit_log (actor_id, action, object_type,
	    object_id, unit_id, before, after) VALUES (me, 'post.create',
	    'post', p::text, unit, NULL, jsonb_build_object('title', title,
	    'revision', 1, 'state', 'draft'));
	RETURN p;
END
$$;
REVOKE ALL ON FUNCTION ch_post_first(bigint, text, text, text[], text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_post_first(bigint, text, text, text[], text[])
    TO chapterhouse_web;

-- As in 028_post_create.sql; the writes are ch_post_first()'s.
CREATE OR REPLACE FUNCTION ch_post_create(slug text, title text, body text,
    tags text[], channels text[])
RETURNS TABLE (unit_id bigint, id bigint, rules text, mode text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
	u	bigint;
	p	bigint;
	today	date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
	SELECT n.id INTO u FROM units n WHERE n.slug = ch_post_create.slug;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	p := ch_post_first(u, ch_post_create.title, ch_post_create.body,
	    ch_post_create.tags, ch_post_create.channels);
	RETURN QUERY
	WITH n AS (SELECT x.id, x.slug, x.region FROM units x WHERE x.id = u),
	r AS (SELECT h.id, h.kind, h.fields, h.message
	    FROM guide_hub_rules h, n WHERE h.enabled AND h.kind <> 'links'
	    AND (h.kind <> 'quiet' OR (today BETWEEN
	    (h.fields->>'starts')::date AND (h.fields->>'ends')::date
	    AND ((h.fields->'units' = '[]' AND h.fields->'regions' = '[]')
	    OR h.fields->'units' ? n.slug OR h.fields->'regions' ? n.region)))
	    UNION ALL SELECT l.id, l.kind, l.fields, l.message
	    FROM guide_unit_rules l WHERE l.unit_id = u AND l.enabled
	    AND l.kind <> 'links' AND (l.kind <> 'quiet' OR today BETWEEN
	    (l.fields->>'starts')::date AND (l.fields->>'ends')::date))
	SELECT u, p, coalesce((SELECT json_agg(json_build_object('id', r.id,
	    'kind', r.kind, 'fields', r.fields, 'message', r.message)
	    ORDER BY r.id) FROM r), '[]')::text, coalesce((SELECT x.mode
	    FROM unit_review_modes x WHERE x.unit_id = u),
	    (SELECT x.default_mode FROM review_policy x));
END
$$;
