-- 022_guide_findings.sql: the guideline checks of every save.  What the
-- active rules find in a new revision becomes suggestions from
-- "Guidelines" beside a reviewer's, and what each rule found is counted.
--
--   * A suggestion has a source: 'reviewer' (a person, its author_id) or
--     'guidelines' (no author; rule_id names the rule, a hub rule or a
--     unit rule: both draw their ids from guide_rule_ids).  Only
--     ch_guide_findings() below writes guideline suggestions: the web
--     role may not name a source or a rule, and its insert policy asks
--     for an author.  Deciding one works as for a reviewer's.
--   * A finding without a replacement is advice: its replacement is the
--     matched text itself, so accepting it keeps the text.
--   * On each save the open guideline suggestions of the post follow
--     the new revision: one whose finding is still there (same rule,
--     same matched text, same replacement, the same n-th occurrence)
--     moves to its new span, keeping its id and age; one whose finding
--     is gone becomes 'outdated' (decided_at set, never shown again);
--     a new finding becomes a new open suggestion.
--   * A finding of a rule the author declined on the post with the same
--     matched text is not raised again while that text stays as it is.
--   * guide_fires counts, per save (unit, post, revision) and rule, what
--     the rule found (found), and how many suggestions it holds open
--     after the save (raised): a hub rule the unit muted still counts,
--     with muted set and nothing raised.  The hub reads every unit's
--     counts, a unit's members their own.
--
-- Statistics per rule and unit read: fired, guide_fires; accepted and
-- declined, post_suggestions by source, rule_id and state; left open at
-- publishing, the guideline suggestions of a post_publications row's
-- post with created_at <= published_at < coalesce(decided_at, infinity).

ALTER TABLE post_suggestions
    ADD COLUMN source text NOT NULL DEFAULT 'reviewer'
	CHECK (source IN ('reviewer', 'guidelines')),
    ADD COLUMN rule_id bigint,
    ALTER COLUMN author_id DROP NOT NULL,
    ADD CHECK ((source = 'guidelines') = (rule_id IS NOT NULL)),
    ADD CHECK ((source = 'guidelines') = (author_id IS NULL));
CREATE INDEX post_suggestions_rule ON post_suggestions (rule_id)
    WHERE rule_id IS NOT NULL;

-- The inbox hears of a reviewer's suggestions only: the author saved
-- the text the guidelines were run over, and a decision on a guideline
-- suggestion has nobody to tell.
CREATE OR REPLACE FUNCTION post_suggestions_inbox() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	IF NEW.source = 'guidelines' THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM public.ch_post_notify_authors(NEW.unit_id, NEW.post_id,
		    'suggestion', NEW.id);
	ELSIF NEW.state IN ('accepted', 'declined') AND
	    OLD.state = 'open' AND NEW.author_id IS DISTINCT FROM
	    public.ch_person() THEN
		INSERT INTO public.inbox_items (unit_id, person_id, kind,
		    post_id, ref_id, actor_id) VALUES (NEW.unit_id,
		    NEW.author_id, 'decision', NEW.post_id, NEW.id,
		    public.ch_person());
	END IF;
	RETURN NULL;
END
$$;

-- Every rule's link, hub and unit rules alike, as the acting person
-- reads them (their tables' policies apply).
CREATE VIEW guide_rule_links WITH (security_invoker = true) AS
	SELECT id, NULL::bigint AS unit_id, link FROM guide_hub_rules
	UNION ALL SELECT id, unit_id, link FROM guide_unit_rules;

-- What each rule found in each saved revision.  rule_id has no foreign
-- key: the counts outlive a removed rule.
CREATE TABLE guide_fires (
	unit_id		bigint NOT NULL,
	post_id		bigint NOT NULL,
	revision	integer NOT NULL,
	rule_id		bigint NOT NULL,
	muted		boolean NOT NULL,
	found		integer NOT NULL CHECK (found > 0),
	raised		integer NOT NULL CHECK (raised BETWEEN 0 AND found),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (unit_id, post_id, revision, rule_id),
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions,
	CHECK (NOT muted OR raised = 0)
);
CREATE INDEX guide_fires_rule ON guide_fires (rule_id, unit_id);

ALTER TABLE guide_fires ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_fires FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY guide_fires_definer ON guide_fires '
	    'TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
CREATE POLICY guide_fires_read ON guide_fires FOR SELECT TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_hub_any()));

-- Record what the rules found in revision rev of post p of unit u, just
-- saved by the acting person, and return the post's open guideline
-- suggestions as the posts API shows them.  findings is a JSON array of
-- {"rule","field","start","end","replacement"} (guide_check()): every
-- finding is counted; those in the body of a rule the unit does not
-- mute become suggestions as the header says.  A rule that is neither a
-- hub rule nor one of u's, and a span outside the body, are ignored.
-- Refused (42501) unless rev is the post's latest revision and the
-- acting person wrote it.  A withdrawn post takes no suggestions.
CREATE FUNCTION ch_guide_findings(u bigint, p bigint, rev integer,
    findings jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	body	text;
	pstate	text;
	n	bigint;
	res	jsonb;
BEGIN
	SELECT r.body, q.state INTO body, pstate FROM public.posts q
	    JOIN public.post_revisions r ON r.unit_id = q.unit_id
	    AND r.post_id = q.id AND r.number = q.revision
	    WHERE q.unit_id = u AND q.id = p AND q.revision = rev
	    AND r.author_id = public.ch_person();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'guideline findings are recorded by the '
		    'author of the latest revision'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	WITH f AS (
		SELECT x.rule, x.field, x."start" AS s, x."end" AS e,
		    x.replacement,
		    EXISTS (SELECT 1 FROM public.guide_mutes m
			WHERE m.unit_id = u AND m.rule_id = x.rule) AS muted,
		    coalesce(h.message, l.message) AS message
		FROM jsonb_to_recordset(findings) AS x(rule bigint,
		    field text, "start" integer, "end" integer,
		    replacement text)
		LEFT JOIN public.guide_hub_rules h ON h.id = x.rule
		LEFT JOIN public.guide_unit_rules l ON l.unit_id = u
		    AND l.id = x.rule
		WHERE h.id IS NOT NULL OR l.id IS NOT NULL
	),
	declined AS (
		SELECT DISTINCT s.rule_id, substr(b.body, s.span_start + 1,
		    s.span_end - s.span_start) AS original
		FROM public.post_suggestions s
		JOIN public.post_revisions b ON b.unit_id = s.unit_id
		    AND b.post_id = s.post_id AND b.number = s.revision
		WHERE s.unit_id = u AND s.post_id = p
		AND s.source = 'guidelines' AND s.state = 'declined'
	),
	hits AS (
		SELECT f.*, substr(body, f.s + 1, f.e - f.s) AS original
		FROM f WHERE f.field = 'body' AND NOT f.muted
		AND f.s >= 0 AND f.e >= f.s AND f.e <= char_length(body)
		AND pstate <> 'withdrawn'
	),
	want AS (
		SELECT w.*, row_number() OVER () AS n, row_number() OVER
		    (PARTITION BY w.rule, w.original, w.repl
		    ORDER BY w.s, w.e) AS k
		FROM (SELECT hits.*, coalesce(hits.replacement,
		    hits.original) AS repl FROM hits
		    WHERE NOT EXISTS (SELECT 1 FROM declined d
			WHERE d.rule_id = hits.rule
			AND d.original = hits.original)) w
	),
	have AS (
		SELECT s.id, s.rule_id, substr(b.body, s.span_start + 1,
		    s.span_end - s.span_start) AS original, s.replacement,
		    row_number() OVER (PARTITION BY s.rule_id,
		    substr(b.body, s.span_start + 1, s.span_end -
		    s.span_start), s.replacement ORDER BY s.revision,
		    s.span_start, s.id) AS k
		FROM public.post_suggestions s
		JOIN public.post_revisions b ON b.unit_id = s.unit_id
		    AND b.post_id = s.post_id AND b.number = s.revision
		WHERE s.unit_id = u AND s.post_id = p
		AND s.source = 'guidelines' AND s.state = 'open'
	),
	pair AS (
		SELECT h.id, w.n, w.s, w.e, w.message FROM have h
		JOIN want w ON w.rule = h.rule_id AND w.original = h.original
		AND w.repl = h.replacement AND w.k = h.k
	),
	moved AS (
		UPDATE public.post_suggestions s SET revision = rev,
		    span_start = pair.s, span_end = pair.e,
		    comment = pair.message
		FROM pair WHERE s.unit_id = u AND s.id = pair.id
		RETURNING s.id
	),
	gone AS (
		UPDATE public.post_suggestions s SET state = 'outdated'
		FROM have h WHERE s.unit_id = u AND s.id = h.id
		AND NOT EXISTS (SELECT 1 FROM pair WHERE pair.id = h.id)
		RETURNING s.id
	),
	made AS (
		INSERT INTO public.post_suggestions (unit_id, post_id,
		    revision, span_start, span_end, replacement, comment,
		    author_id, source, rule_id)
		SELECT u, p, rev, w.s, w.e, w.repl, w.message, NULL,
		    'guidelines', w.rule FROM want w
		WHERE NOT EXISTS (SELECT 1 FROM pair WHERE pair.n = w.n)
		ORDER BY w.s, w.e, w.rule
		RETURNING id
	),
	counted AS (
		INSERT INTO public.guide_fires (unit_id, post_id, revision,
		    rule_id, muted, found, raised)
		SELECT u, p, rev, f.rule, bool_or(f.muted), count(*),
		    (SELECT count(*) FROM want w WHERE w.rule = f.rule)
		FROM f GROUP BY f.rule
		RETURNING rule_id
	)
	SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM gone) +
	    (SELECT count(*) FROM made) + (SELECT count(*) FROM counted)
	    INTO n;
	SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'post',
	    s.post_id, 'revision', s.revision, 'start', s.span_start, 'end',
	    s.span_end, 'original', substr(body, s.span_start + 1,
	    s.span_end - s.span_start), 'replacement', s.replacement,
	    'comment', s.comment, 'state', s.state, 'source', s.source,
	    'rule', s.rule_id, 'author', jsonb_build_object('name',
	    'Guidelines')) ORDER BY s.span_start, s.span_end, s.id), '[]')
	    INTO res
	    FROM public.post_suggestions s
	    WHERE s.unit_id = u AND s.post_id = p AND s.revision = rev
	    AND s.source = 'guidelines' AND s.state = 'open';
	RETURN res;
END
$$;
REVOKE ALL ON FUNCTION ch_guide_findings(bigint, bigint, integer, jsonb)
    FROM PUBLIC;

-- -- Grants -----------------------------------------------------------------

-- The web role reads the counts and the links; it writes neither, nor a
-- suggestion's source or rule: ch_guide_findings() does.
GRANT EXECUTE ON FUNCTION ch_guide_findings(bigint, bigint, integer, jsonb)
    TO chapterhouse_web;
GRANT SELECT ON guide_fires, guide_rule_links TO chapterhouse_web;
