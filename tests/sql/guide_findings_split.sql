-- guide_findings_split.sql: pgTAP proof of sql/052_guide_findings_split.sql.
-- ch_guide_findings() answers, on a post with no open guideline
-- suggestion (built from what it wanted, ids taken first) and on one
-- with some (carried over, then read), exactly the post's open
-- guideline suggestions of that revision as a read of the rows shows
-- them; a save that finds nothing in the body of such a post adds no
-- row and answers [], while its findings are still counted.
-- Run like posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(8);

-- Unit A: ann writes P ('It is guaranteed, guaranteed.', revision 1);
-- hub rule T ("guaranteed" -> "designed to"), M muted by A, A's own
-- rule L (fixtures/guide_units.sql).
\ir fixtures/guide_units.sql

-- The open guideline suggestions of revision rev of P, read from the
-- rows, as ch_guide_findings() answers them.
CREATE FUNCTION pg_temp.open_at(rev integer) RETURNS jsonb LANGUAGE sql AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'post',
	    s.post_id, 'revision', s.revision, 'start', s.span_start, 'end',
	    s.span_end, 'original', substr(r.body, s.span_start + 1,
	    s.span_end - s.span_start), 'replacement', s.replacement,
	    'comment', s.comment, 'state', s.state, 'source', s.source,
	    'rule', s.rule_id, 'author', jsonb_build_object('name',
	    'Guidelines')) ORDER BY s.span_start, s.span_end, s.id), '[]')
	FROM post_suggestions s JOIN post_revisions r ON r.unit_id = s.unit_id
	AND r.post_id = s.post_id AND r.number = s.revision, ids
	WHERE s.unit_id = ids.a AND s.post_id = ids.p AND s.revision = rev
	AND s.source = 'guidelines' AND s.state = 'open'
$$;
-- What the checker finds in 'It is guaranteed, guaranteed.': two of T
-- (one with a text of two code points before it), one of L, one of T in
-- the title, one of M (muted).
CREATE FUNCTION pg_temp.found() RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    jsonb_build_object('rule', t, 'field', 'body', 'start', 18,
		'end', 28, 'replacement', 'designed to'),
	    jsonb_build_object('rule', l, 'field', 'body', 'start', 3,
		'end', 5, 'replacement', NULL),
	    jsonb_build_object('rule', t, 'field', 'body', 'start', 6,
		'end', 16, 'replacement', 'designed to'),
	    jsonb_build_object('rule', t, 'field', 'title', 'start', 0,
		'end', 1, 'replacement', NULL),
	    jsonb_build_object('rule', m, 'field', 'body', 'start', 0,
		'end', 2, 'replacement', NULL)) FROM ids
$$;
GRANT EXECUTE ON FUNCTION pg_temp.found() TO chapterhouse_web;
CREATE TEMP TABLE got (rev integer, answer jsonb) ON COMMIT DROP;
GRANT INSERT, SELECT ON got TO chapterhouse_web;

-- -- Nothing open: the rows added, the answer built from them ---------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
INSERT INTO got SELECT 1, ch_guide_findings(a, p, 1, pg_temp.found())
    FROM ids;
RESET ROLE;
SELECT is((SELECT answer FROM got WHERE rev = 1), pg_temp.open_at(1),
    'a post with nothing open: the answer is what a read of its rows gives '
    '(ids, spans, texts, order)');
SELECT is(jsonb_array_length((SELECT answer FROM got WHERE rev = 1)), 3,
    'three suggestions: two of the hub rule, one of the unit''s');
SELECT is((SELECT array_agg(rule_id ORDER BY id) FROM post_suggestions
    WHERE source = 'guidelines'), (SELECT ARRAY[l, t, t] FROM ids),
    'their ids follow their places in the text');

-- -- Something open: carried over, then read --------------------------------
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 1, ann, 'P', 'So: It is guaranteed, guaranteed.' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
INSERT INTO got SELECT 2, ch_guide_findings(a, p, 2, (SELECT jsonb_agg(
    jsonb_set(jsonb_set(x, '{start}', to_jsonb((x->>'start')::int + 4)),
    '{end}', to_jsonb((x->>'end')::int + 4))) FROM jsonb_array_elements(
    pg_temp.found()) x)) FROM ids;
RESET ROLE;
SELECT is((SELECT answer FROM got WHERE rev = 2), pg_temp.open_at(2),
    'a post with suggestions open: the answer is what a read gives');
SELECT is((SELECT array_agg(x->>'id' ORDER BY x->>'id') FROM
    jsonb_array_elements((SELECT answer FROM got WHERE rev = 2)) x),
    (SELECT array_agg(x->>'id' ORDER BY x->>'id') FROM
    jsonb_array_elements((SELECT answer FROM got WHERE rev = 1)) x),
    'the same suggestions, carried to their new places');

-- -- Nothing found in the body of a post with nothing open ------------------
UPDATE post_suggestions SET state = 'outdated' WHERE source = 'guidelines';
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 2, ann, 'P', 'Plain words.' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(ch_guide_findings(a, p, 3, jsonb_build_array(jsonb_build_object(
    'rule', t, 'field', 'title', 'start', 0, 'end', 1, 'replacement',
    NULL))), '[]'::jsonb, 'only a title finding: the answer is []') FROM ids;
RESET ROLE;
SELECT is((SELECT count(*)::int FROM post_suggestions WHERE revision = 3),
    0, 'and no suggestion is added');
SELECT is((SELECT found || ':' || raised FROM guide_fires WHERE revision = 3),
    '1:0', 'but the finding is counted, raising nothing');

SELECT * FROM finish();
ROLLBACK;
