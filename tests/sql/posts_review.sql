-- posts_review.sql: pgTAP proof of sql/016_posts_review.sql.  A
-- suggestion on a withdrawn post is refused with CH409 for the post's
-- readers, while someone who cannot see the post learns nothing (row-
-- level security refuses the row as before); a unit's review mode
-- records when it was chosen.  Run like posts.sql (as the superuser,
-- rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(7);

-- Unit A (approved): ann an author, eve an editor, own its owner.
-- Unit B (approved): bob owns it.  ann writes P (a draft) and W
-- (withdrawn).
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('own@t', 'Own', '!'),
    ('bob@t', 'Bob', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN p bigint, ADD COLUMN w bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids
    UNION ALL SELECT a, ann, 'author' FROM ids
    UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT (SELECT id FROM units WHERE slug = 'unit-b'), bob,
    'owner' FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
UPDATE ids SET p = (SELECT min(id) FROM posts WHERE unit_id = ids.a),
    w = (SELECT max(id) FROM posts WHERE unit_id = ids.a);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'P', 'open text' FROM ids
    UNION ALL SELECT a, w, ann, 'W', 'old text' FROM ids;
UPDATE posts SET state = 'published' WHERE id = (SELECT w FROM ids);
UPDATE posts SET state = 'withdrawn' WHERE id = (SELECT w FROM ids);
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', who::text, true),
	       set_config('chapterhouse.hub_roles', '', true);
$$;

SET LOCAL ROLE chapterhouse_web;

-- -- Suggestions on a withdrawn post ---------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT a, w, 1, 0, 3,
    'new', eve FROM ids$$, 'CH409', NULL,
    'an editor''s suggestion on a withdrawn post is CH409');
SELECT lives_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT a, p, 1, 0, 4,
    'shut', eve FROM ids$$,
    'while a post that is not withdrawn takes her suggestion');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT a, w, 1, 0, 3,
    'new', bob FROM ids$$, '42501', NULL,
    'someone who cannot see the post is refused by row-level security, '
    'not told it was withdrawn');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM post_suggestions), 1,
    'only the allowed suggestion was written');

-- -- Review modes ----------------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT own FROM ids));
SELECT lives_ok($$INSERT INTO unit_review_modes (unit_id, mode, updated_by)
    SELECT a, 'peer', own FROM ids$$, 'the owner chooses a review mode');
RESET ROLE;
UPDATE unit_review_modes SET updated_at = now() - interval '1 day';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT own FROM ids));
SELECT lives_ok($$UPDATE unit_review_modes SET mode = 'hub_advisory',
    updated_by = (SELECT own FROM ids)$$, 'and changes it');
RESET ROLE;
SELECT is((SELECT updated_at = now() FROM unit_review_modes), true,
    'the change records when it was made');

SELECT * FROM finish();
ROLLBACK;
