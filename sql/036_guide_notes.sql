-- 036_guide_notes.sql: guideline findings that have no span in the body
-- (a term in the title, a tag outside the taxonomy, a post without a
-- tag) shown to the author after every save as notes, and the
-- statistics of each rule kept as counters instead of aggregated from
-- every count on every read.
--
-- Notes (guide_notes), not suggestions: a suggestion is a span of the
-- body with a replacement that accepting writes into the text; its
-- checks (posts_check_span(), post_suggestions_set_check()), the review
-- pages, the inbox and the count of open suggestions at publishing all
-- rest on that.  A note has nothing to accept: the author changes the
-- title or the tags, or dismisses it.
--   * Only ch_guide_record() writes notes, on each save, like guideline
--     suggestions: one whose finding is still there (same rule, field,
--     text found and replacement, the same n-th one) moves to the new
--     revision keeping its id; one whose finding is gone becomes
--     'outdated' and is no longer shown; a new finding is a new note.
--   * A note is dismissed ('declined') by the post's author and
--     co-authors, as a suggestion is declined (policy guide_notes_dismiss);
--     a dismissed finding is not raised again on the post while the
--     text found (a title's words, a tag) is the same.
--   * original: the words matched in the title, the tag not allowed, or
--     '' for a post without the required tag.
--
-- Counters (guide_rule_counts): per unit and rule, the numbers of the
-- view guide_rule_stats (sql/032_guide_stats.sql), kept by triggers in
-- the transaction of every change to what they count: guide_fires
-- (fired, muted, saves), guideline suggestions and notes (suggested,
-- accepted, declined) and their pairs with post_publications
-- (left_open: a suggestion or note raised at or before a publication of
-- its post and decided after it, or never).  A note counts as a
-- suggestion: raised, declined when dismissed, left open at publishing.
-- Each trigger adds what its rows add, so the counters equal the
-- aggregate over every row at every commit; the stats read at most
-- eight rows per unit and rule.  Each database connection writes its
-- own row of eight per unit and rule (shard: its backend's pid modulo
-- 8), so saves on the server's connections do not queue on one row of
-- counters, and a row is not rewritten by every save of the unit; a
-- connection writes the counters of a unit under a lock of the unit and
-- its shard (an advisory lock), so two transactions never wait on each
-- other's counter rows in opposite orders.

-- -- Notes ------------------------------------------------------------------

CREATE TABLE guide_notes (
	unit_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	post_id		bigint NOT NULL,
	revision	integer NOT NULL,
	rule_id		bigint NOT NULL,
	field		text NOT NULL CHECK (field IN ('title', 'tags')),
	original	text NOT NULL,
	replacement	text,
	message		text NOT NULL,
	state		text NOT NULL DEFAULT 'open'
	    CHECK (state IN ('open', 'declined', 'outdated')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	decided_at	timestamptz,
	decided_by	bigint REFERENCES people,
	PRIMARY KEY (unit_id, id),
	FOREIGN KEY (unit_id, post_id, revision) REFERENCES post_revisions,
	CHECK ((state = 'open') = (decided_at IS NULL))
);
CREATE INDEX guide_notes_post ON guide_notes (unit_id, post_id, state);

-- A note is decided once: open to declined (its writers) or outdated
-- (a save), and never changed after; the moment is the database's.
CREATE FUNCTION guide_notes_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.state <> 'open' THEN
		RAISE EXCEPTION 'this note was already %', OLD.state
		    USING ERRCODE = 'CH409';
	END IF;
	IF NEW.state <> OLD.state THEN
		NEW.decided_at := now();
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER guide_notes_check BEFORE UPDATE ON guide_notes
    FOR EACH ROW EXECUTE FUNCTION guide_notes_check();

ALTER TABLE guide_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_notes FORCE ROW LEVEL SECURITY;

-- -- Counters ---------------------------------------------------------------

CREATE TABLE guide_rule_counts (
	unit_id		bigint NOT NULL REFERENCES units,
	rule_id		bigint NOT NULL,
	fired		bigint NOT NULL DEFAULT 0,
	muted		bigint NOT NULL DEFAULT 0,
	saves		bigint NOT NULL DEFAULT 0,
	suggested	bigint NOT NULL DEFAULT 0,
	accepted	bigint NOT NULL DEFAULT 0,
	declined	bigint NOT NULL DEFAULT 0,
	left_open	bigint NOT NULL DEFAULT 0,
	shard		smallint NOT NULL DEFAULT 0 CHECK (shard BETWEEN 0 AND 7),
	PRIMARY KEY (unit_id, rule_id, shard)
) WITH (fillfactor = 50);

ALTER TABLE guide_rule_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE guide_rule_counts FORCE ROW LEVEL SECURITY;

DO $$
BEGIN
	EXECUTE format('CREATE POLICY guide_notes_definer ON guide_notes '
	    'TO %I USING (true) WITH CHECK (true)', current_user);
	EXECUTE format('CREATE POLICY guide_rule_counts_definer ON '
	    'guide_rule_counts TO %I USING (true) WITH CHECK (true)',
	    current_user);
END
$$;

-- Notes are read as the post's suggestions are; dismissed by the
-- post's writers.
CREATE POLICY guide_notes_read ON guide_notes FOR SELECT TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('read'))::bigint[])
	OR (SELECT ch_post_hub_reviewer()));
CREATE POLICY guide_notes_dismiss ON guide_notes FOR UPDATE
    TO chapterhouse_web
    USING (unit_id = ANY ((SELECT ch_post_units('write'))::bigint[])
	AND EXISTS (SELECT 1 FROM posts p WHERE p.unit_id =
	guide_notes.unit_id AND p.id = guide_notes.post_id
	AND (p.author_id = (SELECT ch_person()) OR EXISTS (SELECT 1
	FROM post_authors a WHERE a.unit_id = p.unit_id AND a.post_id = p.id
	AND a.person_id = (SELECT ch_person())))))
    WITH CHECK (state = 'declined' AND decided_by = (SELECT ch_person()));

-- The counters are read as guide_fires is (032_guide_stats.sql).
CREATE POLICY guide_rule_counts_read ON guide_rule_counts FOR SELECT
    TO chapterhouse_web
    USING ((SELECT ch_guide_hub_writer())
	OR unit_id = ANY ((SELECT ch_owned_unit_ids())::bigint[]));

-- What a set of guideline suggestions or notes adds to the counters,
-- times sign: rows is a JSON array of {unit_id, post_id, rule_id,
-- created_at, state, decided_at}.
CREATE FUNCTION ch_guide_count_rows(rows jsonb, sign integer)
RETURNS void LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.guide_counts'),
	    (x.unit_id * 8 + pg_backend_pid() % 8)::integer)
	    FROM (SELECT DISTINCT (e->>'unit_id')::bigint AS unit_id
	    FROM jsonb_array_elements(rows) e ORDER BY 1) x;
	INSERT INTO public.guide_rule_counts AS c (unit_id, rule_id, shard,
	    suggested, accepted, declined, left_open)
	    SELECT s.unit_id, s.rule_id, pg_backend_pid() % 8, sign * count(*),
		sign * count(*) FILTER (WHERE s.state = 'accepted'),
		sign * count(*) FILTER (WHERE s.state = 'declined'),
		sign * coalesce(sum(o.n), 0)
	    FROM jsonb_to_recordset(rows) AS s(unit_id bigint,
		post_id bigint, rule_id bigint, created_at timestamptz,
		state text, decided_at timestamptz)
	    CROSS JOIN LATERAL (SELECT count(*) AS n
		FROM public.post_publications p
		WHERE p.unit_id = s.unit_id AND p.post_id = s.post_id
		AND p.published_at >= s.created_at
		AND (s.decided_at IS NULL OR p.published_at < s.decided_at)) o
	    GROUP BY s.unit_id, s.rule_id ORDER BY s.unit_id, s.rule_id
	    ON CONFLICT (unit_id, rule_id, shard) DO UPDATE
	    SET suggested = c.suggested + EXCLUDED.suggested,
		accepted = c.accepted + EXCLUDED.accepted,
		declined = c.declined + EXCLUDED.declined,
		left_open = c.left_open + EXCLUDED.left_open;
END
$$;
REVOKE ALL ON FUNCTION ch_guide_count_rows(jsonb, integer) FROM PUBLIC;

-- Guideline suggestions and notes added, and changed: what the old rows
-- added goes, what the new ones add comes.  A save that only moves
-- suggestions (revision, span) changes nothing counted and is skipped.
CREATE FUNCTION guide_count_added() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	a	jsonb;
BEGIN
	SELECT jsonb_agg(to_jsonb(n)) INTO a FROM (SELECT unit_id, post_id,
	    rule_id, created_at, state, decided_at FROM added
	    WHERE rule_id IS NOT NULL) n;
	IF a IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(a, 1);
	END IF;
	RETURN NULL;
END
$$;
CREATE FUNCTION guide_count_changed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	a	jsonb;
	b	jsonb;
BEGIN
	WITH x AS (SELECT o.unit_id AS ou, o.post_id AS op,
	    o.rule_id AS orl, o.created_at AS oc, o.state AS os,
	    o.decided_at AS od, n.unit_id, n.post_id, n.rule_id,
	    n.created_at, n.state, n.decided_at
	    FROM old_rows o JOIN new_rows n ON n.unit_id = o.unit_id
	    AND n.id = o.id
	    WHERE (o.rule_id IS NOT NULL OR n.rule_id IS NOT NULL)
	    AND (o.state, o.decided_at, o.created_at, o.rule_id, o.post_id)
	    IS DISTINCT FROM (n.state, n.decided_at, n.created_at,
	    n.rule_id, n.post_id))
	SELECT jsonb_agg(jsonb_build_object('unit_id', ou, 'post_id', op,
	    'rule_id', orl, 'created_at', oc, 'state', os, 'decided_at', od))
	    FILTER (WHERE orl IS NOT NULL),
	    jsonb_agg(jsonb_build_object('unit_id', unit_id, 'post_id',
	    post_id, 'rule_id', rule_id, 'created_at', created_at, 'state',
	    state, 'decided_at', decided_at)) FILTER (WHERE rule_id IS NOT NULL)
	    INTO b, a FROM x;
	IF b IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(b, -1);
	END IF;
	IF a IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(a, 1);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_suggestions_counted AFTER INSERT ON post_suggestions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION guide_count_added();
CREATE TRIGGER post_suggestions_recounted AFTER UPDATE ON post_suggestions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guide_count_changed();
CREATE TRIGGER guide_notes_counted AFTER INSERT ON guide_notes
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION guide_count_added();
CREATE TRIGGER guide_notes_recounted AFTER UPDATE ON guide_notes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guide_count_changed();

-- What each save's findings add: fired, muted, saves.
CREATE FUNCTION guide_fires_counted() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.guide_counts'),
	    (x.unit_id * 8 + pg_backend_pid() % 8)::integer)
	    FROM (SELECT DISTINCT unit_id FROM added ORDER BY 1) x;
	INSERT INTO public.guide_rule_counts AS c (unit_id, rule_id, shard,
	    fired, muted, saves)
	    SELECT f.unit_id, f.rule_id, pg_backend_pid() % 8, sum(f.found),
		coalesce(sum(f.found) FILTER (WHERE f.muted), 0), count(*)
	    FROM added f GROUP BY f.unit_id, f.rule_id
	    ORDER BY f.unit_id, f.rule_id
	    ON CONFLICT (unit_id, rule_id, shard) DO UPDATE
	    SET fired = c.fired + EXCLUDED.fired,
		muted = c.muted + EXCLUDED.muted,
		saves = c.saves + EXCLUDED.saves;
	RETURN NULL;
END
$$;
CREATE TRIGGER guide_fires_counted AFTER INSERT ON guide_fires
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION guide_fires_counted();

-- A publication leaves open the guideline suggestions and notes of its
-- post raised by then and not decided before.
CREATE FUNCTION guide_publication_counted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM added p JOIN public.post_suggestions s
	    ON s.unit_id = p.unit_id AND s.post_id = p.post_id
	    WHERE s.source = 'guidelines' UNION ALL SELECT 1 FROM added p
	    JOIN public.guide_notes g ON g.unit_id = p.unit_id
	    AND g.post_id = p.post_id) THEN
		RETURN NULL;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.guide_counts'),
	    (x.unit_id * 8 + pg_backend_pid() % 8)::integer)
	    FROM (SELECT DISTINCT unit_id FROM added ORDER BY 1) x;
	INSERT INTO public.guide_rule_counts AS c (unit_id, rule_id, shard,
	    left_open)
	    SELECT s.unit_id, s.rule_id, pg_backend_pid() % 8, count(*)
	    FROM added p JOIN (SELECT unit_id, post_id, rule_id, created_at,
		decided_at FROM public.post_suggestions
		WHERE source = 'guidelines' UNION ALL SELECT unit_id, post_id,
		rule_id, created_at, decided_at FROM public.guide_notes) s
	    ON s.unit_id = p.unit_id AND s.post_id = p.post_id
	    AND p.published_at >= s.created_at
	    AND (s.decided_at IS NULL OR p.published_at < s.decided_at)
	    GROUP BY s.unit_id, s.rule_id ORDER BY s.unit_id, s.rule_id
	    ON CONFLICT (unit_id, rule_id, shard) DO UPDATE
	    SET left_open = c.left_open + EXCLUDED.left_open;
	RETURN NULL;
END
$$;
CREATE TRIGGER post_publications_counted AFTER INSERT ON post_publications
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION guide_publication_counted();

-- What was counted before the counters.
LOCK TABLE guide_fires, post_suggestions, post_publications
    IN SHARE MODE;
INSERT INTO guide_rule_counts (unit_id, rule_id, fired, muted, saves)
    SELECT unit_id, rule_id, sum(found), coalesce(sum(found)
	FILTER (WHERE muted), 0), count(*)
    FROM guide_fires GROUP BY unit_id, rule_id;
SELECT ch_guide_count_rows(jsonb_agg(jsonb_build_object('unit_id',
    unit_id, 'post_id', post_id, 'rule_id', rule_id, 'created_at',
    created_at, 'state', state, 'decided_at', decided_at)), 1)
    FROM post_suggestions WHERE source = 'guidelines'
    HAVING count(*) > 0;

-- The statistics read the counters: the same columns, the same rows
-- (a unit and rule that fired at least once), each the sum of its
-- shards.
CREATE OR REPLACE VIEW guide_rule_stats WITH (security_invoker = true) AS
	SELECT c.unit_id, c.rule_id, sum(c.fired)::bigint AS fired,
	    sum(c.muted)::bigint AS muted, sum(c.saves)::bigint AS saves,
	    sum(c.suggested)::bigint AS suggested,
	    sum(c.accepted)::bigint AS accepted,
	    sum(c.declined)::bigint AS declined,
	    sum(c.left_open)::bigint AS left_open
	FROM guide_rule_counts c GROUP BY c.unit_id, c.rule_id
	HAVING sum(c.saves) > 0;

-- -- Recording a save's findings ----------------------------------------------

-- ch_guide_findings() (022_guide_findings.sql) and the notes: records
-- what the rules found in revision rev of post p of unit u, just saved
-- by the acting person, and returns {"suggestions": the post's open
-- guideline suggestions as ch_guide_findings() returns them, "notes":
-- its open notes}.  A finding in the title (a span within it) or about
-- tags ("tag": the tag, or null for a post without one) of a rule the
-- unit does not mute becomes a note.  Refused (42501) unless rev is the
-- post's latest revision and the acting person wrote it.
CREATE FUNCTION ch_guide_record(u bigint, p bigint, rev integer,
    findings jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	ttl	text;
	pstate	text;
	sugg	jsonb;
	n	bigint;
	res	jsonb;
BEGIN
	sugg := public.ch_guide_findings(u, p, rev, findings);
	-- Nothing outside the body found and no note open: nothing to do.
	IF NOT jsonb_path_exists(findings, '$[*] ? (@.field != "body")')
	    AND NOT EXISTS (SELECT 1 FROM public.guide_notes g
		WHERE g.unit_id = u AND g.post_id = p AND g.state = 'open') THEN
		RETURN jsonb_build_object('suggestions', sugg, 'notes',
		    '[]'::jsonb);
	END IF;
	SELECT r.title, q.state INTO ttl, pstate FROM public.posts q
	    JOIN public.post_revisions r ON r.unit_id = q.unit_id
	    AND r.post_id = q.id AND r.number = q.revision
	    WHERE q.unit_id = u AND q.id = p AND q.revision = rev;
	WITH f AS (
		SELECT x.rule, x.field, x.replacement,
		    CASE x.field WHEN 'tags' THEN coalesce(x.tag, '')
		    ELSE substr(ttl, x."start" + 1, x."end" - x."start")
		    END AS original, coalesce(h.message, l.message) AS message
		FROM jsonb_to_recordset(findings) AS x(rule bigint,
		    field text, "start" integer, "end" integer,
		    replacement text, tag text)
		LEFT JOIN public.guide_hub_rules h ON h.id = x.rule
		LEFT JOIN public.guide_unit_rules l ON l.unit_id = u
		    AND l.id = x.rule
		WHERE (h.id IS NOT NULL OR l.id IS NOT NULL)
		AND pstate <> 'withdrawn'
		AND NOT EXISTS (SELECT 1 FROM public.guide_mutes m
		    WHERE m.unit_id = u AND m.rule_id = x.rule)
		AND (x.field = 'tags' OR (x.field = 'title'
		    AND x."start" >= 0 AND x."end" > x."start"
		    AND x."end" <= char_length(ttl)))
	),
	want AS (
		SELECT w.*, row_number() OVER () AS n, row_number() OVER
		    (PARTITION BY w.rule, w.field, w.original, w.repl) AS k
		FROM (SELECT f.*, coalesce(f.replacement, '') AS repl FROM f
		    WHERE NOT EXISTS (SELECT 1 FROM public.guide_notes d
			WHERE d.unit_id = u AND d.post_id = p
			AND d.state = 'declined' AND d.rule_id = f.rule
			AND d.field = f.field AND d.original = f.original)) w
	),
	have AS (
		SELECT g.id, g.rule_id, g.field, g.original,
		    coalesce(g.replacement, '') AS repl, row_number() OVER
		    (PARTITION BY g.rule_id, g.field, g.original,
		    coalesce(g.replacement, '') ORDER BY g.id) AS k
		FROM public.guide_notes g
		WHERE g.unit_id = u AND g.post_id = p AND g.state = 'open'
	),
	pair AS (
		SELECT h.id, w.n, w.message FROM have h JOIN want w
		ON w.rule = h.rule_id AND w.field = h.field
		AND w.original = h.original AND w.repl = h.repl AND w.k = h.k
	),
	moved AS (
		UPDATE public.guide_notes g SET revision = rev,
		    message = pair.message
		FROM pair WHERE g.unit_id = u AND g.id = pair.id
		RETURNING g.id
	),
	gone AS (
		UPDATE public.guide_notes g SET state = 'outdated'
		FROM have h WHERE g.unit_id = u AND g.id = h.id
		AND NOT EXISTS (SELECT 1 FROM pair WHERE pair.id = h.id)
		RETURNING g.id
	),
	made AS (
		INSERT INTO public.guide_notes (unit_id, post_id, revision,
		    rule_id, field, original, replacement, message)
		SELECT u, p, rev, w.rule, w.field, w.original, w.replacement,
		    w.message FROM want w
		WHERE NOT EXISTS (SELECT 1 FROM pair WHERE pair.n = w.n)
		ORDER BY w.field, w.original, w.rule
		RETURNING id
	)
	SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM gone) +
	    (SELECT count(*) FROM made) INTO n;
	SELECT coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'post',
	    g.post_id, 'revision', g.revision, 'rule', g.rule_id, 'field',
	    g.field, 'original', g.original, 'replacement', g.replacement,
	    'message', g.message, 'link', coalesce(h.link, l.link),
	    'state', g.state) ORDER BY g.field, g.id), '[]')
	    INTO res
	    FROM public.guide_notes g
	    LEFT JOIN public.guide_hub_rules h ON h.id = g.rule_id
	    LEFT JOIN public.guide_unit_rules l ON l.unit_id = u
		AND l.id = g.rule_id
	    WHERE g.unit_id = u AND g.post_id = p AND g.state = 'open';
	RETURN jsonb_build_object('suggestions', sugg, 'notes', res);
END
$$;
REVOKE ALL ON FUNCTION ch_guide_record(bigint, bigint, integer, jsonb)
    FROM PUBLIC;

-- -- Grants -----------------------------------------------------------------

GRANT EXECUTE ON FUNCTION ch_guide_record(bigint, bigint, integer, jsonb)
    TO chapterhouse_web;
GRANT SELECT ON guide_notes, guide_rule_counts TO chapterhouse_web;
GRANT UPDATE (state, decided_by) ON guide_notes TO chapterhouse_web;
