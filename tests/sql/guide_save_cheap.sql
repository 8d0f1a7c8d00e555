-- guide_save_cheap.sql: pgTAP proof of sql/048_guide_save_cheap.sql.
-- The counters take rows alike as one group and count each group as
-- many times as it has rows: after inserts of several rows alike, some
-- after the post's publications, and an update deciding some of them,
-- they equal a recount of every row.  A suggestion still needs its
-- revision (and so its post): the key that remains refuses one without.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(6);

\ir fixtures/guide_units.sql

-- P published at 11:00 and 13:00, before its suggestions are written.
INSERT INTO post_publications (unit_id, post_id, revision, published_at,
    published_by, open_suggestions)
    SELECT a, p, 1, '2030-01-01 11:00Z'::timestamptz, ann, 0 FROM ids
    UNION ALL SELECT a, p, 1, '2030-01-01 13:00Z', ann, 0 FROM ids;

-- Per rule of unit A: suggested, accepted, declined, left open, from the
-- counters and from the rows themselves.
CREATE FUNCTION pg_temp.counted() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws(':', CASE x.rule_id WHEN i.t THEN 'T'
	    WHEN i.l THEN 'L' END, x.n, x.acc, x.dec, x.open), ' '
	    ORDER BY x.rule_id)
	FROM (SELECT c.rule_id, sum(c.suggested) AS n,
	    sum(c.accepted) AS acc, sum(c.declined) AS dec,
	    sum(c.left_open) AS open FROM guide_rule_counts c, ids i
	    WHERE c.unit_id = i.a GROUP BY c.rule_id
	    HAVING sum(c.suggested) <> 0) x, ids i
$$;
CREATE FUNCTION pg_temp.recounted() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws(':', CASE x.rule_id WHEN i.t THEN 'T'
	    WHEN i.l THEN 'L' END, x.n, x.acc, x.dec, x.open), ' '
	    ORDER BY x.rule_id)
	FROM (SELECT s.rule_id, count(*) AS n,
	    count(*) FILTER (WHERE s.state = 'accepted') AS acc,
	    count(*) FILTER (WHERE s.state = 'declined') AS dec,
	    sum((SELECT count(*) FROM post_publications p
		WHERE p.unit_id = s.unit_id AND p.post_id = s.post_id
		AND p.published_at >= s.created_at AND (s.decided_at IS NULL
		OR p.published_at < s.decided_at))) AS open
	    FROM post_suggestions s, ids i WHERE s.unit_id = i.a
	    AND s.source = 'guidelines' GROUP BY s.rule_id) x, ids i
$$;

-- T three times alike (open since 10:00) and once declined at 12:00; L
-- twice alike, declined at 10:30: left open, T 3 x 2 + 1, L none.
INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
    span_end, replacement, comment, author_id, source, rule_id, state,
    created_at, decided_at)
    SELECT a, p, 1, 6, 16, 'designed to', 'no promises', NULL::bigint,
	'guidelines', t, 'open', '2030-01-01 10:00Z'::timestamptz,
	NULL::timestamptz FROM ids, generate_series(1, 3)
    UNION ALL SELECT a, p, 1, 18, 28, 'designed to', 'no promises', NULL,
	'guidelines', t, 'declined', '2030-01-01 10:00Z',
	'2030-01-01 12:00Z' FROM ids
    UNION ALL SELECT a, p, 1, 3, 5, 'is', 'local', NULL, 'guidelines', l,
	'declined', '2030-01-01 10:00Z', '2030-01-01 10:30Z'
	FROM ids, generate_series(1, 2);
SELECT is(pg_temp.counted(), 'T:4:0:1:7 L:2:0:2:0',
    'rows alike count once each: T 4 raised, 1 declined, 7 left open');
SELECT is(pg_temp.counted(), pg_temp.recounted(),
    'the counters equal a recount of the rows');

-- Two of the three open T's declined now (the row trigger sets when,
-- before both publications): neither was left open at them.
UPDATE post_suggestions SET state = 'declined'
    WHERE id IN (SELECT s.id FROM post_suggestions s, ids i
	WHERE s.unit_id = i.a AND s.rule_id = i.t AND s.state = 'open'
	ORDER BY s.id LIMIT 2);
SELECT is(pg_temp.counted(), 'T:4:0:3:3 L:2:0:2:0',
    'deciding rows alike moves each out of open once');
SELECT is(pg_temp.counted(), pg_temp.recounted(),
    'and the counters still equal the recount');

-- The key to the revision remains, and so the post's: a suggestion on a
-- revision that does not exist, or of a post that does not, is refused.
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id,
    revision, span_start, span_end, replacement, author_id, source,
    rule_id) SELECT a, p, 99, 0, 1, 'x', NULL, 'guidelines', t
    FROM ids$$, '23503', NULL, 'a suggestion needs its revision');
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id,
    revision, span_start, span_end, replacement, author_id, source,
    rule_id) SELECT a, p + 1000, 1, 0, 1, 'x', NULL, 'guidelines', t
    FROM ids$$, '23503', NULL, 'and so its post');

SELECT * FROM finish();
ROLLBACK;
