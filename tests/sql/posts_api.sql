-- posts_api.sql: pgTAP proof of sql/015_posts_api.sql.  A withdrawn post
-- gets no new revision, from its author either; publishing it again
-- reopens it.  Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(5);

INSERT INTO people (email, name, password_hash) VALUES ('ann@t', 'Ann', '!');
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', id FROM people
    WHERE email = 'ann@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM units WHERE slug = 'unit-a') AS a, NULL::bigint AS p;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, ann, 'owner' FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
UPDATE ids SET p = (SELECT id FROM posts);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'T', 'first' FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true),
    set_config('chapterhouse.hub_roles', '', true);
UPDATE posts SET state = 'published', published_revision = 1;
UPDATE posts SET state = 'withdrawn';
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, ann, 'T', 'second' FROM ids$$,
    'CH409', NULL, 'the author writes no revision of a withdrawn post');
SELECT is((SELECT revision FROM posts), 1, 'the post keeps its text');
SELECT lives_ok($$UPDATE posts SET state = 'published'$$,
    'publishing it again');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, ann, 'T', 'second' FROM ids$$,
    'reopens it');
SELECT is((SELECT revision || ' ' || published_revision FROM posts), '2 1',
    'the new revision waits to be published');

SELECT * FROM finish();
ROLLBACK;
