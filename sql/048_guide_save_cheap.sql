-- 048_guide_save_cheap.sql: a save under the hub's rules at a smaller
-- cost.  Measured (bench/RESULTS.md, "The rules budget"): a new draft of
-- the 2,000-character post of bench/run under 20 hub rules records 44
-- guideline suggestions, and most of what that added to the save was
-- bookkeeping row by row:
--
--   * the counters' trigger turned each of the 44 new rows into JSON
--     and back, and probed the post's publications once a row, where
--     the rows of one save differ only in their rule: they are now
--     grouped first (unit, post, rule, times and state), and each group
--     counts as many rows as it holds;
--   * each row checked two foreign keys to the same post: (unit_id,
--     post_id) to posts, and (unit_id, post_id, revision) to
--     post_revisions, whose own (unit_id, post_id) references posts.
--     A suggestion's post exists because its revision does; posts are
--     never deleted (withdrawn is a state), so the first key adds
--     nothing and goes.
--
-- What is counted is unchanged: tests/sql/guide_stats.sql and
-- test_guide_notes.py recount every counter from the rows.

-- A revision implies its post (post_revisions references posts).
ALTER TABLE post_suggestions
    DROP CONSTRAINT post_suggestions_unit_id_post_id_fkey;

-- What a set of guideline suggestions or notes adds to the counters,
-- times sign: rows is a JSON array of {unit_id, post_id, rule_id,
-- created_at, state, decided_at, n}, n the number of rows alike (1 when
-- absent).  Rows alike probe the publications once.
CREATE OR REPLACE FUNCTION ch_guide_count_rows(rows jsonb, sign integer)
RETURNS void LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('chapterhouse.guide_counts'),
	    (x.unit_id * 8 + pg_backend_pid() % 8)::integer)
	    FROM (SELECT DISTINCT (e->>'unit_id')::bigint AS unit_id
	    FROM jsonb_array_elements(rows) e ORDER BY 1) x;
	INSERT INTO public.guide_rule_counts AS c (unit_id, rule_id, shard,
	    suggested, accepted, declined, left_open)
	    SELECT s.unit_id, s.rule_id, pg_backend_pid() % 8,
		sign * sum(s.n),
		sign * coalesce(sum(s.n) FILTER (WHERE s.state = 'accepted'),
		0),
		sign * coalesce(sum(s.n) FILTER (WHERE s.state = 'declined'),
		0),
		sign * coalesce(sum(s.n * o.n), 0)
	    FROM (SELECT r.unit_id, r.post_id, r.rule_id, r.created_at,
		r.state, r.decided_at, sum(coalesce(r.n, 1)) AS n
		FROM jsonb_to_recordset(rows) AS r(unit_id bigint,
		    post_id bigint, rule_id bigint, created_at timestamptz,
		    state text, decided_at timestamptz, n bigint)
		GROUP BY r.unit_id, r.post_id, r.rule_id, r.created_at,
		r.state, r.decided_at) s
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

-- Guideline suggestions and notes added, and changed, grouped as
-- ch_guide_count_rows() takes them.
CREATE OR REPLACE FUNCTION guide_count_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
	a	jsonb;
BEGIN
	SELECT jsonb_agg(to_jsonb(g)) INTO a FROM (SELECT unit_id, post_id,
	    rule_id, created_at, state, decided_at, count(*) AS n FROM added
	    WHERE rule_id IS NOT NULL GROUP BY unit_id, post_id, rule_id,
	    created_at, state, decided_at) g;
	IF a IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(a, 1);
	END IF;
	RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION guide_count_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
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
	SELECT (SELECT jsonb_agg(to_jsonb(g)) FROM (SELECT ou AS unit_id,
		op AS post_id, orl AS rule_id, oc AS created_at, os AS state,
		od AS decided_at, count(*) AS n FROM x
		WHERE orl IS NOT NULL GROUP BY ou, op, orl, oc, os, od) g),
	    (SELECT jsonb_agg(to_jsonb(g)) FROM (SELECT unit_id, post_id,
		rule_id, created_at, state, decided_at, count(*) AS n FROM x
		WHERE rule_id IS NOT NULL GROUP BY unit_id, post_id, rule_id,
		created_at, state, decided_at) g)
	    INTO b, a;
	IF b IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(b, -1);
	END IF;
	IF a IS NOT NULL THEN
		PERFORM public.ch_guide_count_rows(a, 1);
	END IF;
	RETURN NULL;
END
$$;
