-- post_stamps.sql: pgTAP proof of sql/051_post_stamps.sql.  A post
-- page's stamp (what ch_post_stamp reads) changes on every kind of write
-- the page shows: its suggestions, comments, review requests and
-- co-authors (post_stamps), a save, a publication (the post's row), its
-- unit and members, the unit's and the hub's guideline rules, people's
-- names; and not on another unit's post's writes, a statement that
-- writes no row or a write rolled back.  Only those who read the post
-- read its stamp, and only through the view; nobody writes them.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(31);

-- The people and units of fixtures/post_units.sql: own owns A, eve edits
-- A, bob owns B; adm is a hub admin; str belongs nowhere.  One post in A
-- (pa) and one in B (pb).
\ir fixtures/post_units.sql
INSERT INTO posts (unit_id, author_id)
    SELECT a, own FROM ids UNION ALL SELECT b, bob FROM ids;
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags,
    channels)
    SELECT p.unit_id, p.id, p.author_id, 'T', 'The cat sat on the mat.',
    '{}', '{}' FROM posts p JOIN ids ON p.unit_id IN (a, b);
ALTER TABLE ids ADD COLUMN pa bigint, ADD COLUMN pb bigint;
UPDATE ids SET pa = (SELECT id FROM posts WHERE unit_id = ids.a),
    pb = (SELECT id FROM posts WHERE unit_id = ids.b);
INSERT INTO guide_hub_rules (kind, fields, message, link, created_by,
    updated_by)
    SELECT 'term', '{"pattern": "cat", "regex": false,
    "case_sensitive": false, "replacement": null}', 'Hub.',
    'https://hub.example.org/h', adm, adm FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, link,
    created_by, updated_by)
    SELECT a, 'term', '{"pattern": "mat", "regex": false,
    "case_sensitive": false, "replacement": null}', 'Unit.',
    'https://hub.example.org/a', own, own FROM ids;

-- Post id's stamp as ch_post_stamp makes it, read as the superuser.
CREATE FUNCTION pg_temp.stamp_of(post bigint) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws('.', coalesce(ps.stamp, 0), p.xmin, us.stamp,
	    g.stamp) FROM posts p
	LEFT JOIN post_stamps ps ON ps.unit_id = p.unit_id AND ps.post_id = p.id
	JOIN page_stamps us ON us.unit_id = p.unit_id
	JOIN page_stamps g ON g.unit_id = 0 WHERE p.id = $1
$$;
-- Whose stamp q changed, of pa and pb: "1 0" says pa's alone.  (The
-- xmin of a row written in this transaction is this transaction's: q runs
-- in a subtransaction, whose rows carry an xid of their own, as those of
-- another transaction do.)
CREATE FUNCTION pg_temp.moved(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a0	text := pg_temp.stamp_of((SELECT pa FROM ids));
	b0	text := pg_temp.stamp_of((SELECT pb FROM ids));
BEGIN
	-- In a subtransaction of its own, as a row written by another
	-- transaction carries another xmin.
	BEGIN
		EXECUTE q;
	EXCEPTION WHEN OTHERS THEN
		RAISE;
	END;
	RETURN concat_ws(' ',
	    (a0 IS DISTINCT FROM pg_temp.stamp_of((SELECT pa FROM ids)))::int,
	    (b0 IS DISTINCT FROM pg_temp.stamp_of((SELECT pb FROM ids)))::int);
END
$$;

SELECT is(pg_temp.moved($$INSERT INTO post_suggestions (unit_id, post_id,
    revision, span_start, span_end, replacement, author_id)
    SELECT a, pa, 1, 4, 7, 'dog', eve FROM ids$$), '1 0',
    'a suggestion made changes its post''s stamp, not another''s');
SELECT is(pg_temp.moved($$UPDATE post_suggestions SET state = 'declined',
    decided_at = now(), reply = 'No.' WHERE post_id = (SELECT pa FROM ids)$$),
    '1 0', 'a suggestion decided changes it');
SELECT is(pg_temp.moved($$INSERT INTO post_comments (unit_id, post_id,
    author_id, body) SELECT a, pa, eve, 'Fine.' FROM ids$$), '1 0',
    'a comment changes it');
SELECT is(pg_temp.moved($$UPDATE post_comments SET resolved_at = now(),
    resolved_by = (SELECT own FROM ids)$$), '1 0',
    'a comment resolved changes it');
SELECT is(pg_temp.moved($$INSERT INTO post_review_requests (unit_id,
    post_id, reviewer_id, requested_by) SELECT a, pa, eve, own FROM ids$$),
    '1 0', 'a review request changes it');
SELECT is(pg_temp.moved($$INSERT INTO post_authors (unit_id, post_id,
    person_id, added_by) SELECT a, pa, eve, own FROM ids$$), '1 0',
    'a co-author named changes it');
SELECT is(pg_temp.moved($$DELETE FROM post_authors$$), '1 0',
    'and one removed');
SELECT is(pg_temp.moved($$INSERT INTO post_comments (unit_id, post_id,
    author_id, body) SELECT b, pb, bob, 'Ok.' FROM ids$$), '0 1',
    'a comment on B''s post changes that post''s alone');
SELECT is(pg_temp.moved($$UPDATE post_comments SET body = body
    WHERE false$$), '0 0', 'a statement that writes no row changes nothing');
SELECT is(pg_temp.moved($$INSERT INTO post_revisions (unit_id, post_id,
    base, author_id, title, body, tags, channels) SELECT a, pa, 1, own, 'T2',
    'The dog sat.', '{}', '{}' FROM ids$$), '1 0',
    'a save (a revision, the post''s row following it) changes it');
SELECT is(pg_temp.moved($$UPDATE posts SET title = 'T9'
    WHERE id = (SELECT pa FROM ids)$$), '1 0',
    'any change of the post''s row changes it');
SELECT is(pg_temp.moved($$UPDATE units SET name = 'A2'
    WHERE slug = 'unit-a'$$), '1 0', 'its unit renamed changes it');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = 'author'
    WHERE person_id = (SELECT eve FROM ids)$$), '1 0',
    'a member of its unit changed changes it');
SELECT is(pg_temp.moved($$UPDATE guide_unit_rules SET link =
    'https://hub.example.org/a2'$$), '1 0',
    'its unit''s guideline rule changed changes it');
SELECT is(pg_temp.moved($$UPDATE guide_hub_rules SET link =
    'https://hub.example.org/h2'$$), '1 1',
    'a hub guideline rule changed changes every post''s');
SELECT is(pg_temp.moved($$UPDATE people SET name = 'Eve B'
    WHERE email = 'eve@t'$$), '1 1', 'so does a person renamed');
SELECT ok((SELECT count(*) = 2 FROM pg_trigger
    WHERE tgname = 'page_stamps_global' AND tgrelid IN
    ('course_versions'::regclass, 'course_completions'::regclass)),
    'courses and completions (the author''s badges) move the '
    'confederation''s counter');
SAVEPOINT undone;
INSERT INTO post_comments (unit_id, post_id, author_id, body)
    SELECT a, pa, own, 'Gone.' FROM ids;
ROLLBACK TO SAVEPOINT undone;
CREATE TEMP TABLE kept ON COMMIT DROP AS
    SELECT pg_temp.stamp_of((SELECT pa FROM ids)) AS s;
SELECT is((SELECT stamp FROM post_stamps, ids WHERE post_id = pa), 7::bigint,
    'a write rolled back leaves no trace: seven statements moved A''s '
    'post''s counter');

-- Who reads a stamp: those who read the post, through the view.
CREATE FUNCTION pg_temp.stamp_as(who bigint, roles text, post bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	s	text;
BEGIN
	PERFORM set_config('chapterhouse.person', coalesce(who::text, ''),
	    true), set_config('chapterhouse.hub_roles', roles, true);
	SET LOCAL ROLE chapterhouse_web;
	SELECT v.stamp INTO s FROM ch_post_stamp v WHERE v.id = post;
	RESET ROLE;
	RETURN coalesce(s, 'none');
END
$$;
SELECT is(pg_temp.stamp_as(own, '', pa), pg_temp.stamp_of(pa),
    'the author reads the stamp of her post') FROM ids;
SELECT is(pg_temp.stamp_as(eve, '', pa), pg_temp.stamp_of(pa),
    'a member of its unit reads it') FROM ids;
SELECT is(pg_temp.stamp_as(adm, 'admin', pa), pg_temp.stamp_of(pa),
    'a hub admin reads it') FROM ids;
SELECT is(pg_temp.stamp_as(bob, '', pa), 'none',
    'a member of another unit reads no stamp of it') FROM ids;
SELECT is(pg_temp.stamp_as(str, '', pa), 'none', 'nor does a stranger')
    FROM ids;
SELECT is(pg_temp.stamp_as(NULL, '', pa), 'none', 'nor nobody acting')
    FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT throws_ok($$SELECT stamp FROM post_stamps$$, '42501', NULL,
    'the web role reads no stamp but through the view');
SELECT throws_ok($$UPDATE post_stamps SET stamp = 0$$, '42501', NULL,
    'and writes none');
RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$SELECT stamp FROM ch_post_stamp$$, '42501', NULL,
    'the public reads no post''s stamp');
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$SELECT stamp FROM ch_post_stamp$$, '42501', NULL,
    'nor does the job worker');
RESET ROLE;
SELECT ok((SELECT relowner NOT IN ('chapterhouse_web'::regrole,
    'chapterhouse_anon'::regrole) AND 'security_barrier=true' = ANY
    (reloptions) FROM pg_class WHERE oid = 'ch_post_stamp'::regclass),
    'the view is the schema owner''s, and a security barrier');
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class
    WHERE oid = 'post_stamps'::regclass),
    'post_stamps: row-level security on and forced');
SELECT is((SELECT k.s FROM kept k), pg_temp.stamp_of((SELECT pa FROM ids)),
    'reading stamps, as everyone above did, changes none');

SELECT * FROM finish();
ROLLBACK;
