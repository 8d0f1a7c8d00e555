-- guide_notes.sql: pgTAP proof of sql/036_guide_notes.sql.  Only
-- ch_guide_record() writes guideline notes, for the author of a post's
-- latest revision; only the post's author and co-authors dismiss one,
-- and only to declined; the counters are written by triggers alone and
-- read as guide_fires is: by the unit's owners and the hub's admins and
-- communicators, not by another unit or the unit's other members.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(20);

-- The people, units, post and rules of guide_findings.sql.
\ir fixtures/guide_units.sql

-- A term of T in the title, a tag outside a taxonomy (T stands for it:
-- the rule's kind is not read), and a title finding of the muted M.
CREATE FUNCTION pg_temp.found() RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    jsonb_build_object('rule', t, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', 'Q'),
	    jsonb_build_object('rule', l, 'field', 'tags', 'start', NULL,
		'end', NULL, 'replacement', 'news', 'tag', 'nws'),
	    jsonb_build_object('rule', m, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', NULL),
	    jsonb_build_object('rule', k, 'field', 'tags', 'start', NULL,
		'end', NULL, 'replacement', NULL, 'tag', 'x')) FROM ids
$$;
GRANT EXECUTE ON FUNCTION pg_temp.found() TO chapterhouse_web;
-- Dismiss the notes (of field f) as who: how many were.
CREATE FUNCTION pg_temp.dismiss(who bigint, f text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	UPDATE guide_notes SET state = 'declined', decided_by = who
	    WHERE f IS NULL OR field = f;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.dismiss(bigint, text) TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;

-- -- Who records notes --------------------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL,
    'an editor records no notes on a revision she did not write');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL, 'nor a member of another unit');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT ch_guide_record(a, p, 1, pg_temp.found())
    FROM ids$$, '42501', NULL, 'nor a hub admin');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$INSERT INTO guide_notes (unit_id, post_id, revision,
    rule_id, field, original, message) SELECT a, p, 1, t, 'title', 'P', 'x'
    FROM ids$$, '42501', NULL, 'the web role writes no note itself');
SELECT throws_ok($$INSERT INTO guide_rule_counts (unit_id, rule_id, fired)
    SELECT a, t, 1 FROM ids$$, '42501', NULL, 'nor a counter');

-- -- The author's save ----------------------------------------------------------
SELECT is((SELECT string_agg(x->>'field' || ':' || (x->>'original'), ',')
    FROM ids, jsonb_array_elements(ch_guide_record(a, p, 1,
    pg_temp.found())->'notes') x), 'tags:nws,title:P',
    'the author''s save raises a note for the title and one for the tag; '
    'not the muted rule, not another unit''s rule');

-- -- Who dismisses ---------------------------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is(pg_temp.dismiss((SELECT eve FROM ids)), 0,
    'another member of the unit dismisses nothing');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_notes), 0,
    'another unit reads no note');
SELECT is(pg_temp.dismiss((SELECT bob FROM ids)), 0,
    'and dismisses none');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_notes), 2,
    'a hub admin reads the notes');
SELECT is(pg_temp.dismiss((SELECT adm FROM ids)), 0,
    'but dismisses none');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$UPDATE guide_notes SET state = 'outdated',
    decided_by = (SELECT ann FROM ids)$$, '42501', NULL,
    'the author cannot outdate a note');
SELECT throws_ok($$UPDATE guide_notes SET original = 'x'$$, '42501', NULL,
    'nor change what it says');
SELECT is(pg_temp.dismiss((SELECT ann FROM ids), 'tags'), 1,
    'the author dismisses the tags note');
SELECT throws_ok($$UPDATE guide_notes SET state = 'declined',
    decided_by = (SELECT ann FROM ids) WHERE field = 'tags'$$, 'CH409', NULL,
    'once');

-- -- The counters --------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM guide_rule_counts), 0,
    'the author reads no counter');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT string_agg(concat_ws(':', rule_id = t, suggested,
    declined), ',' ORDER BY rule_id) FROM guide_rule_stats, ids
    WHERE rule_id <> m), 't:1:0,f:1:1',
    'the owner reads the unit''s: a note suggested, the dismissed one '
    'declined');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_rule_counts), 0,
    'another unit''s owner reads none of them');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_rule_stats), 3,
    'a hub admin reads them: the three rules that fired');
SELECT throws_ok($$UPDATE guide_rule_counts SET fired = 0$$, '42501', NULL,
    'and changes none');

SELECT * FROM finish();
ROLLBACK;
