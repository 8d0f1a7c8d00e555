-- 052_guide_findings_split.sql: a save's guideline findings recorded in
-- statements that each have work to do.
--
-- ch_guide_findings() (022_guide_findings.sql) recorded a save's
-- findings in one statement: the findings wanted as suggestions, the
-- open ones carried through the new revision (an update), those no
-- longer found made outdated (another update), the new ones added and
-- the rules' fires counted; then it read the post's open suggestions
-- again for the answer.  On a post with no open guideline suggestion,
-- a new draft among them, both updates had nothing to do but still
-- cost their plans and their statement triggers, and the read found
-- only the rows just added (measured in bench/RESULTS.md, "Draft saves
-- in a hub with no rules": 0.45 and 0.4-0.5 ms of a 2.9 ms recording
-- of 44 suggestions).
--
-- Now the findings wanted are worked out once, with the fires counted,
-- into an array of ch_guide_want; then either
--
--   * the post has open guideline suggestions: the carry-over statement
--     as before, over that array, and the read for the answer; or
--   * it has none: the wanted rows are added, when there are any, with
--     ids taken from the column's sequence first, and the answer is
--     built from what was wanted: nothing is read again, and no span
--     is cut from the text a second time (substr() and char_length()
--     walk a multibyte text from its start, once per call).
--
-- What is written, and the answer, are as before: tests/sql/
-- guide_findings.sql and guide_notes.sql, test_guide_findings.py.

-- A finding that becomes a suggestion: its rule, span (code points),
-- message, the text it covers and its replacement (that text when the
-- rule has none).
CREATE TYPE ch_guide_want AS (rule bigint, s integer, e integer,
    message text, original text, repl text);

CREATE OR REPLACE FUNCTION ch_guide_findings(u bigint, p bigint,
    rev integer, findings jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	body	text;
	blen	integer;
	pstate	text;
	wanted	public.ch_guide_want[];
	ids	regclass;
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
	-- Counted once: each count walks the text's UTF-8 from its start.
	blen := char_length(body);
	-- The findings wanted as suggestions, in the order they are added;
	-- every finding of a known rule counted.
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
		AND f.s >= 0 AND f.e >= f.s AND f.e <= blen
		AND pstate <> 'withdrawn'
	),
	want AS (
		SELECT hits.rule, hits.s, hits.e, hits.message, hits.original,
		    coalesce(hits.replacement, hits.original) AS repl
		FROM hits WHERE NOT EXISTS (SELECT 1 FROM declined d
		    WHERE d.rule_id = hits.rule
		    AND d.original = hits.original)
	),
	counted AS (
		INSERT INTO public.guide_fires (unit_id, post_id, revision,
		    rule_id, muted, found, raised)
		SELECT u, p, rev, f.rule, bool_or(f.muted), count(*),
		    (SELECT count(*) FROM want w WHERE w.rule = f.rule)
		FROM f GROUP BY f.rule
		RETURNING rule_id
	)
	SELECT (SELECT array_agg(ROW(w.rule, w.s, w.e, w.message,
	    w.original, w.repl)::public.ch_guide_want
	    ORDER BY w.s, w.e, w.rule) FROM want w),
	    (SELECT count(*) FROM counted) INTO wanted, n;

	IF NOT EXISTS (SELECT 1 FROM public.post_suggestions s
	    WHERE s.unit_id = u AND s.post_id = p
	    AND s.source = 'guidelines' AND s.state = 'open') THEN
		IF wanted IS NULL THEN
			RETURN '[]'::jsonb;
		END IF;
		ids := pg_get_serial_sequence('public.post_suggestions', 'id');
		-- The rows take their ids here, so that the answer is built
		-- from what was wanted (the text each covers included) rather
		-- than read, or cut from the text, again.
		WITH w AS (
			SELECT nextval(ids) AS id, w.*
			FROM unnest(wanted) WITH ORDINALITY AS w
			ORDER BY w.ordinality
		),
		made AS (
			INSERT INTO public.post_suggestions (id, unit_id,
			    post_id, revision, span_start, span_end,
			    replacement, comment, author_id, source, rule_id)
			OVERRIDING SYSTEM VALUE
			SELECT w.id, u, p, rev, w.s, w.e, w.repl, w.message,
			    NULL, 'guidelines', w.rule FROM w ORDER BY w.ordinality
			RETURNING id
		)
		SELECT jsonb_agg(jsonb_build_object('id', w.id, 'post', p,
		    'revision', rev, 'start', w.s, 'end', w.e, 'original',
		    w.original, 'replacement', w.repl, 'comment', w.message,
		    'state', 'open', 'source', 'guidelines', 'rule', w.rule,
		    'author', jsonb_build_object('name', 'Guidelines'))
		    ORDER BY w.s, w.e, w.id), (SELECT count(*) FROM made)
		    INTO res, n FROM w;
		RETURN res;
	END IF;

	-- Open suggestions to carry: each wanted finding takes the place of
	-- an open suggestion alike (rule, text covered, replacement; the
	-- k-th of each kind the k-th), which moves to this revision; the
	-- open ones left are outdated; the wanted ones left are added.
	WITH want AS (
		SELECT w.rule, w.s, w.e, w.message, w.original, w.repl,
		    w.ordinality AS n, row_number() OVER (PARTITION BY w.rule,
		    w.original, w.repl ORDER BY w.s, w.e) AS k
		FROM unnest(wanted) WITH ORDINALITY AS w
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
		ORDER BY w.n
		RETURNING id
	)
	SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM gone) +
	    (SELECT count(*) FROM made) INTO n;
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
