-- posts_preview.sql: pgTAP proof of sql/020_preview_auto.sql.  The
-- reviewers a review mode asks are answered to the post's writers only
-- (they name people and their addresses); an outside reviewer sees the
-- comments left through their own link and nothing else of the post's
-- discussion, and nothing once the link is revoked; the web role never
-- reads a link's token digest.  Run like posts.sql (as the superuser,
-- rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(12);

-- Unit A (approved): own its owner, ann an author, eve an editor; bob
-- owns unit B; com is a hub communicator, adm a hub admin.  ann writes P.
INSERT INTO people (email, name, password_hash, confirmed_at) VALUES
    ('ann@t', 'Ann', '!', now()), ('eve@t', 'Eve', '!', now()),
    ('own@t', 'Own', '!', now()), ('bob@t', 'Bob', '!', now()),
    ('com@t', 'Com', '!', now()), ('adm@t', 'Adm', '!', now());
INSERT INTO hub_roles (person_id, role)
    SELECT id, 'communicator' FROM people WHERE email = 'com@t'
    UNION ALL SELECT id, 'admin' FROM people WHERE email = 'adm@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'com@t') AS com;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN p bigint, ADD COLUMN l1 bigint,
    ADD COLUMN l2 bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids
    UNION ALL SELECT a, ann, 'author' FROM ids
    UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT (SELECT id FROM units WHERE slug = 'unit-b'), bob,
    'owner' FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
UPDATE ids SET p = (SELECT id FROM posts WHERE unit_id = ids.a);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'P', 'open text' FROM ids;
GRANT SELECT ON ids TO chapterhouse_web;

CREATE FUNCTION pg_temp.act(who bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', who::text, true),
	       set_config('chapterhouse.hub_roles', '', true);
$$;

-- -- Reviewers by review mode ------------------------------------------------
INSERT INTO unit_review_modes (unit_id, mode, updated_by)
    SELECT a, 'peer', own FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT array_agg(email) FROM ch_auto_reviewers((SELECT p FROM ids))),
    ARRAY['eve@t'], 'peer: the author is told the unit''s editor, not its owner');
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is((SELECT count(*)::int FROM ch_auto_reviewers((SELECT p FROM ids))),
    0, 'a reviewer who does not write the post learns nobody');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM ch_auto_reviewers((SELECT p FROM ids))),
    0, 'nor does another unit''s owner');
RESET ROLE;
-- eve writes her own post: the owner is asked, as the unit has no other
-- editor.
INSERT INTO posts (unit_id, author_id) SELECT a, eve FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is((SELECT array_agg(email) FROM ch_auto_reviewers((SELECT max(id)
    FROM posts))), ARRAY['own@t'],
    'an editor''s own post goes to the owners when no other editor is there');
RESET ROLE;
UPDATE unit_review_modes SET mode = 'hub_advisory';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT array_agg(email) FROM ch_auto_reviewers((SELECT p FROM ids))),
    ARRAY['com@t'], 'hub-advisory: the hub''s communicators, not its admins');
RESET ROLE;
UPDATE unit_review_modes SET mode = 'none';
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is((SELECT count(*)::int FROM ch_auto_reviewers((SELECT p FROM ids))),
    0, 'none: nobody');
RESET ROLE;

-- -- What an outside reviewer sees -------------------------------------------
INSERT INTO post_preview_links (unit_id, post_id, token_hash, created_by,
    expires_at) SELECT a, p, sha256('one'), ann, now() + interval '1 day'
    FROM ids UNION ALL SELECT a, p, sha256('two'), ann,
    now() + interval '1 day' FROM ids;
UPDATE ids SET l1 = (SELECT id FROM post_preview_links
    WHERE token_hash = sha256('one')), l2 = (SELECT id FROM post_preview_links
    WHERE token_hash = sha256('two'));
INSERT INTO post_comments (unit_id, post_id, guest_name, preview_link_id, body)
    SELECT a, p, 'Sam', l1, 'from link one' FROM ids
    UNION ALL SELECT a, p, 'Kim', l2, 'from link two' FROM ids;
INSERT INTO post_comments (unit_id, post_id, author_id, body)
    SELECT a, p, eve, 'inside the unit' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act(NULL);
SELECT is((SELECT array_agg(body) FROM ch_preview_comments(sha256('one'))),
    ARRAY['from link one'],
    'a link shows its own comments, not another link''s nor the unit''s');
SELECT is((SELECT count(*)::int FROM ch_preview_comments(sha256('three'))),
    0, 'an unknown digest shows nothing');
SELECT throws_ok($$SELECT token_hash FROM post_preview_links$$, '42501',
    NULL, 'the web role never reads a token digest');
RESET ROLE;
UPDATE post_preview_links SET revoked_at = now(), revoked_by = ann
    FROM ids WHERE id = ids.l1;
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT count(*)::int FROM ch_preview_comments(sha256('one'))), 0,
    'a revoked link shows no comment');
SELECT is((SELECT outcome FROM ch_preview_post(sha256('one'))), 'revoked',
    'and says it was revoked');
SELECT throws_ok($$SELECT ch_preview_comment(sha256('one'), 'Sam', 'again',
    NULL, NULL, NULL)$$, 'CH410', NULL, 'nor takes a comment');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
