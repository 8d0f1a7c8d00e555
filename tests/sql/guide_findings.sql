-- guide_findings.sql: pgTAP proof of sql/022_guide_findings.sql.  Only
-- ch_guide_findings() writes guideline suggestions and counts, and only
-- for the author of a post's latest revision; a finding still there is
-- moved, not repeated; a declined one is not raised again while its text
-- is unchanged; a muted hub rule counts and raises nothing; the counts
-- of a unit are read by its owners and the hub (032_guide_stats.sql),
-- not by another unit.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(24);

-- Unit A (approved): ann an author, eve an editor, own its owner.  Unit
-- B (approved): bob owns it.  adm is a hub admin.  ann writes P.  Hub
-- rules T ("guaranteed" -> "designed to") and M (muted by A); a rule L
-- of unit A and a rule K of unit B (fixtures/guide_units.sql).
\ir fixtures/guide_units.sql

-- What the checker finds in 'It is guaranteed, guaranteed.' (rev 1).
CREATE FUNCTION pg_temp.found1() RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    jsonb_build_object('rule', m, 'field', 'body', 'start', 0,
		'end', 2, 'replacement', NULL),
	    jsonb_build_object('rule', l, 'field', 'body', 'start', 3,
		'end', 5, 'replacement', NULL),
	    jsonb_build_object('rule', t, 'field', 'body', 'start', 6,
		'end', 16, 'replacement', 'designed to'),
	    jsonb_build_object('rule', t, 'field', 'body', 'start', 18,
		'end', 28, 'replacement', 'designed to'),
	    jsonb_build_object('rule', t, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', NULL),
	    jsonb_build_object('rule', k, 'field', 'body', 'start', 3,
		'end', 5, 'replacement', NULL)) FROM ids
$$;
GRANT EXECUTE ON FUNCTION pg_temp.found1() TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;

-- -- Who records findings ---------------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$SELECT ch_guide_findings(a, p, 1, pg_temp.found1())
    FROM ids$$, '42501', NULL,
    'an editor of the unit records no findings on a revision she did not '
    'write');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT ch_guide_findings(a, p, 1, pg_temp.found1())
    FROM ids$$, '42501', NULL, 'nor does a member of another unit');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$SELECT ch_guide_findings(a, p, 1, pg_temp.found1())
    FROM ids$$, '42501', NULL, 'nor a hub admin');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id, source, rule_id)
    SELECT a, p, 1, 0, 2, 'x', NULL, 'guidelines', t FROM ids$$, '42501',
    NULL, 'the web role writes no guideline suggestion itself');
SELECT throws_ok($$INSERT INTO guide_fires (unit_id, post_id, revision,
    rule_id, muted, found, raised) SELECT a, p, 1, t, false, 1, 1 FROM ids$$,
    '42501', NULL, 'nor a count');

-- -- The author's save --------------------------------------------------------
SELECT is(jsonb_array_length(ch_guide_findings(a, p, 1, pg_temp.found1())),
    3, 'the author''s save raises three suggestions: two of the hub rule, '
    'one of the unit''s own') FROM ids;
SELECT is((SELECT array_agg(rule_id || ':' || span_start || '-' || span_end
    || ':' || replacement ORDER BY span_start) FROM post_suggestions
    WHERE source = 'guidelines'), (SELECT ARRAY[l || ':3-5:is',
    t || ':6-16:designed to', t || ':18-28:designed to'] FROM ids),
    'anchored to their spans, with the replacement or the matched text');
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE rule_id =
    (SELECT k FROM ids)), 0, 'another unit''s rule raises nothing here');
SELECT is((SELECT comment FROM post_suggestions WHERE rule_id =
    (SELECT l FROM ids)), 'local', 'the rule''s message is the comment');
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT array_agg(rule_id || ':' || muted || ':' || found || ':' ||
    raised ORDER BY rule_id) FROM guide_fires), (SELECT ARRAY[t || ':false:3:2',
    m || ':true:1:0', l || ':false:1:1'] FROM ids),
    'each rule is counted, the muted one too, raising nothing '
    '(as the unit''s owner reads them)');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT count(*)::int FROM inbox_items), 0,
    'nobody''s inbox hears of it');

-- A second save with the same text: moved, not repeated.
RESET ROLE;
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 1, ann, 'P', 'It is guaranteed, guaranteed.' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT array_agg(x->>'id' ORDER BY x->>'id') FROM
    jsonb_array_elements(ch_guide_findings(a, p, 2, pg_temp.found1())) x),
    (SELECT array_agg(id::text ORDER BY id::text) FROM post_suggestions),
    'a finding still there keeps its suggestion') FROM ids;
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE revision = 2
    AND state = 'open'), 3, 'moved to the new revision');

-- The author declines the unit rule's suggestion and accepts nothing.
SELECT lives_ok($$UPDATE post_suggestions SET state = 'declined',
    decided_by = (SELECT ann FROM ids) WHERE rule_id = (SELECT l FROM ids)$$,
    'the author declines a guideline suggestion as a reviewer''s');
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE state =
    'declined'), 1, 'the unit''s editor reads it');

-- A third save: the same text, then one without the second match.
RESET ROLE;
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 2, ann, 'P', 'It is guaranteed, guaranteed.' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(jsonb_array_length(ch_guide_findings(a, p, 3, pg_temp.found1())),
    2, 'a declined finding is not raised again while its text is the same')
    FROM ids;
RESET ROLE;
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 3, ann, 'P', 'It is guaranteed.' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(jsonb_array_length(ch_guide_findings(a, p, 4, jsonb_build_array(
    jsonb_build_object('rule', t, 'field', 'body', 'start', 6, 'end', 16,
    'replacement', 'designed to')))), 1, 'a finding gone leaves one open')
    FROM ids;
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE state =
    'outdated'), 1, 'the other is outdated');
SELECT throws_ok($$SELECT ch_guide_findings(a, p, 3, '[]') FROM ids$$,
    '42501', NULL, 'an older revision takes no findings');

-- -- Who reads the counts -----------------------------------------------------
SELECT pg_temp.act((SELECT own FROM ids));
SELECT is((SELECT count(*)::int FROM guide_fires), 10,
    'the unit''s owners read its counts (its other members no longer: '
    '032_guide_stats.sql)');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_fires WHERE muted), 3,
    'the hub reads what a muted rule would have found');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_fires), 0,
    'another unit''s owner reads none');
SELECT is((SELECT count(*)::int FROM post_suggestions), 0,
    'nor its suggestions');
SELECT is((SELECT count(*)::int FROM guide_rule_links WHERE unit_id =
    (SELECT a FROM ids)), 0, 'nor its rules'' links');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
