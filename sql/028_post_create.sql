-- 028_post_create.sql: a new draft in one statement.
--
-- Making a post took five statements in five round trips (the post,
-- its first revision, the audit entry, the revision read back with the
-- unit's guideline rules, the reviewers its review mode asks), each
-- starting the posts' policies again (ch_post_units() once per policy
-- and statement, bench/RESULTS.md).  ch_post_create() does the first
-- three and answers the rules, in one call:
--
--   * it runs as the caller (SECURITY INVOKER): the same INSERTs as
--     before, under the same FORCE'd policies and triggers, so the same
--     people are refused with the same SQLSTATE (42501 for a stranger, a
--     member of another unit, a removed member, a unit not approved);
--   * the text of the revision is the text the caller sent, so it is
--     not read back for the guideline checks: the caller already has it,
--     and a new post has no open suggestion;
--   * it answers the unit's review mode (as ch_review_mode() gives it,
--     read in place: that SQL function is planned at each call from
--     PL/pgSQL), so that a unit that asks nobody (mode 'none', the
--     default) costs no statement for it.
--
-- ch_auto_reviewers() keeps its answer and becomes PL/pgSQL: a definer
-- SQL function is planned again at every call (about 1 ms a save).
-- The guideline suggestions a save writes are checked once per
-- statement instead of once per row (below).

-- Post a new draft in unit slug in the acting person's name, with its
-- first revision (title, body, tags, channels) and the audit entry
-- post.create.  One row: the unit, the post, the rules to run over the
-- text (as guide_save.h describes them: hub rules muted or not, the
-- unit's own, quiet periods running today that target the unit, never
-- links) and the unit's review mode; no row when the caller reads no
-- unit of that slug.
CREATE FUNCTION ch_post_create(slug text, title text, body text,
    tags text[], channels text[])
RETURNS TABLE (unit_id bigint, id bigint, rules text, mode text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
	u	bigint;
	p	bigint;
	me	bigint := ch_person();
	today	date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
	INSERT INTO posts (unit_id, author_id)
	    SELECT n.id, me FROM units n WHERE n.slug = ch_post_create.slug
	    RETURNING posts.unit_id, posts.id INTO u, p;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO post_revisions (unit_id, post_id, base, author_id, title,
	    body, tags, channels) VALUES (u, p, NULL, me,
	    ch_post_create.title, ch_post_create.body,
	    ch_post_create.tags, ch_post_create.channels);
	INSERT INTO audit_log (actor_id, action, object_type, object_id,
	    unit_id, before, after) VALUES (me, 'post.create', 'post',
	    p::text, u, NULL, jsonb_build_object('title',
	    ch_post_create.title, 'revision', 1, 'state', 'draft'));
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
REVOKE ALL ON FUNCTION ch_post_create(text, text, text, text[], text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ch_post_create(text, text, text, text[], text[])
    TO chapterhouse_web;

-- The reviewers the review mode of post's unit asks (020_preview_auto.sql:
-- the same answer), in PL/pgSQL so that its plan is kept; a unit that
-- asks nobody returns at once.
CREATE OR REPLACE FUNCTION ch_auto_reviewers(post bigint)
RETURNS TABLE (id bigint, email text, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
	u	bigint;
	a	bigint;
	m	text;
	me	bigint := public.ch_person();
BEGIN
	SELECT p.unit_id, p.author_id, coalesce((SELECT x.mode
	    FROM public.unit_review_modes x WHERE x.unit_id = p.unit_id),
	    (SELECT x.default_mode FROM public.review_policy x))
	    INTO u, a, m
	    FROM public.posts p JOIN public.units n ON n.id = p.unit_id
	    WHERE p.id = post AND n.state = 'approved'
	    AND (p.author_id = me OR EXISTS (SELECT 1
		FROM public.post_authors x WHERE x.unit_id = p.unit_id
		AND x.post_id = p.id AND x.person_id = me));
	IF NOT FOUND OR m NOT IN ('peer', 'hub_advisory') THEN
		RETURN;
	END IF;
	RETURN QUERY
	WITH editors AS (
		SELECT e.person_id, e.role FROM public.unit_members e
		WHERE m = 'peer' AND e.unit_id = u
		AND e.role IN ('editor', 'owner') AND e.person_id <> a
	), asked AS (
		SELECT e.person_id FROM editors e
		WHERE e.role = 'editor' OR NOT EXISTS (SELECT 1 FROM editors x
		    WHERE x.role = 'editor')
		UNION
		SELECT h.person_id FROM public.hub_roles h
		WHERE m = 'hub_advisory' AND h.role = 'communicator'
	)
	SELECT w.id, w.email, w.name
	FROM asked s JOIN public.people w ON w.id = s.person_id
	WHERE w.confirmed_at IS NOT NULL AND w.id <> a
	AND NOT EXISTS (SELECT 1 FROM public.post_authors x
	    WHERE x.unit_id = u AND x.post_id = post AND x.person_id = w.id)
	AND NOT EXISTS (SELECT 1 FROM public.post_review_requests q
	    WHERE q.unit_id = u AND q.post_id = post AND q.reviewer_id = w.id)
	ORDER BY w.id
	LIMIT 50;
END
$$;

-- -- Guideline suggestions come in sets ---------------------------------------
--
-- ch_guide_findings() writes a save's guideline suggestions in one
-- INSERT (44 rows for the 2,000-character post of bench/run under 20
-- hub rules), and each row fired the row triggers written for a
-- reviewer's single suggestion: the span check reading the revision's
-- body again (posts_check_span()), the withdrawn check reading the post
-- again, the inbox trigger that tells nobody of a guideline suggestion.
-- For rows of source 'guidelines' (only ch_guide_findings() writes them:
-- 022_guide_findings.sql) the same two checks now run once per statement
-- over its new rows (a transition table): each revision's body is read
-- once, each post once, with the same SQLSTATEs (CH409, CH422).  A
-- reviewer's suggestion is checked as before, row by row and before
-- row-level security, so its refusals stay worded as they were.  Updates
-- (deciding, moving, outdating) keep their row trigger.

DROP TRIGGER post_suggestions_check ON post_suggestions;
CREATE TRIGGER post_suggestions_check BEFORE UPDATE ON post_suggestions
    FOR EACH ROW EXECUTE FUNCTION post_suggestions_check();
CREATE TRIGGER post_suggestions_check_one BEFORE INSERT ON post_suggestions
    FOR EACH ROW WHEN (NEW.source = 'reviewer')
    EXECUTE FUNCTION post_suggestions_check();

DROP TRIGGER post_suggestions_post_open ON post_suggestions;
CREATE TRIGGER post_suggestions_post_open BEFORE INSERT ON post_suggestions
    FOR EACH ROW WHEN (NEW.source = 'reviewer')
    EXECUTE FUNCTION post_suggestions_post_open();

-- post_suggestions_inbox() returns at once for a guideline suggestion.
DROP TRIGGER post_suggestions_inbox ON post_suggestions;
CREATE TRIGGER post_suggestions_inbox AFTER INSERT OR UPDATE OF state
    ON post_suggestions FOR EACH ROW WHEN (NEW.source = 'reviewer')
    EXECUTE FUNCTION post_suggestions_inbox();

-- The guideline rows of one INSERT: none on a withdrawn post (CH409),
-- each span within its revision's body (CH422).  Runs as the inserting
-- role, like the row checks.
CREATE FUNCTION post_suggestions_set_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	e	integer;
	len	integer;
BEGIN
	IF EXISTS (SELECT 1 FROM (SELECT DISTINCT n.unit_id, n.post_id
	    FROM added n WHERE n.source = 'guidelines') n
	    JOIN posts p ON p.unit_id = n.unit_id AND p.id = n.post_id
	    WHERE p.state = 'withdrawn') THEN
		RAISE EXCEPTION 'the post was withdrawn: it takes no suggestions'
		    USING ERRCODE = 'CH409';
	END IF;
	SELECT n.e, char_length(r.body) INTO e, len
	    FROM (SELECT n.unit_id, n.post_id, n.revision,
		max(n.span_end) AS e FROM added n
		WHERE n.source = 'guidelines'
		GROUP BY n.unit_id, n.post_id, n.revision) n
	    JOIN post_revisions r ON r.unit_id = n.unit_id
	    AND r.post_id = n.post_id AND r.number = n.revision
	    WHERE n.e > char_length(r.body) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'the span ends at %, after the text (% '
		    'characters)', e, len USING ERRCODE = 'CH422';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_suggestions_set_check AFTER INSERT ON post_suggestions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION post_suggestions_set_check();
