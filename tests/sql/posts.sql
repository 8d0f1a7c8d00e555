-- posts.sql: pgTAP proof of sql/014_posts.sql.  Posts are written only
-- by their author and named co-authors, current members of an approved
-- unit; reviewers read, suggest and comment but never write a revision;
-- another unit's post, revision, suggestion or comment is 0 rows; a
-- removed member, a guest past their last day, the job worker, a
-- suspended or archived unit are refused; revisions are immutable and
-- of two saves from one base exactly one wins; publishing is never
-- blocked by open suggestions; preview links expire and are revoked;
-- the worker publishes a due post exactly once.  Policies are evaluated
-- once per statement.  Run like rls_units.sql (as the superuser, rolled
-- back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(87);

-- Unit A (approved): ann and col authors, eve editor, own owner, gus a
-- guest, old a guest whose last day is past, rem removed later.  Unit B
-- (approved): bob owns it.  S is suspended and R archived, ann an author
-- in both.  hub is a communicator, adm an admin, hr in HR.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('col@t', 'Col', '!'), ('eve@t', 'Eve', '!'),
    ('own@t', 'Own', '!'), ('gus@t', 'Gus', '!'), ('old@t', 'Old', '!'),
    ('rem@t', 'Rem', '!'), ('bob@t', 'Bob', '!'), ('hub@t', 'Hub', '!'),
    ('adm@t', 'Adm', '!'), ('hr@t', 'Hr', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'col@t') AS col,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'old@t') AS old,
    (SELECT id FROM people WHERE email = 'rem@t') AS rem,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'hub@t') AS hub,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm,
    (SELECT id FROM people WHERE email = 'hr@t') AS hr;
INSERT INTO hub_roles (person_id, role)
    SELECT hub, 'communicator' FROM ids UNION ALL SELECT adm, 'admin' FROM ids
    UNION ALL SELECT hr, 'hr' FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-s', 'S', 'chapter', 'p', 'a', 'approved', own
    FROM ids
    UNION ALL SELECT 'unit-r', 'R', 'chapter', 'p', 'a', 'approved', own
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN s bigint,
    ADD COLUMN r bigint, ADD COLUMN p bigint, ADD COLUMN q bigint,
    ADD COLUMN ps bigint, ADD COLUMN pr bigint, ADD COLUMN pb bigint,
    ADD COLUMN sg bigint, ADD COLUMN cm bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    s = (SELECT id FROM units WHERE slug = 'unit-s'),
    r = (SELECT id FROM units WHERE slug = 'unit-r');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, own, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT a, ann, 'author', NULL FROM ids
    UNION ALL SELECT a, col, 'author', NULL FROM ids
    UNION ALL SELECT a, eve, 'editor', NULL FROM ids
    UNION ALL SELECT a, rem, 'author', NULL FROM ids
    UNION ALL SELECT a, gus, 'guest', now() + interval '5 days' FROM ids
    UNION ALL SELECT a, old, 'guest', now() - interval '1 second' FROM ids
    UNION ALL SELECT b, bob, 'owner', NULL FROM ids
    UNION ALL SELECT s, own, 'owner', NULL FROM ids
    UNION ALL SELECT s, ann, 'author', NULL FROM ids
    UNION ALL SELECT r, own, 'owner', NULL FROM ids
    UNION ALL SELECT r, ann, 'author', NULL FROM ids;
-- ann's posts in S and R, written before S was suspended and R archived.
INSERT INTO posts (unit_id, author_id) SELECT s, ann FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT r, ann FROM ids;
UPDATE ids SET ps = (SELECT id FROM posts WHERE unit_id = ids.s),
    pr = (SELECT id FROM posts WHERE unit_id = ids.r);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT s, ps, ann, 'S', 'in S' FROM ids
    UNION ALL SELECT r, pr, ann, 'R', 'in R' FROM ids;
UPDATE units SET state = 'suspended' WHERE slug = 'unit-s';
UPDATE units SET state = 'archived' WHERE slug = 'unit-r';
-- bob's post in B.
INSERT INTO posts (unit_id, author_id) SELECT b, bob FROM ids;
UPDATE ids SET pb = (SELECT id FROM posts WHERE unit_id = ids.b);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT b, pb, bob, 'B', 'in B' FROM ids;
GRANT SELECT, UPDATE ON ids TO chapterhouse_web, chapterhouse_worker;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;

-- -- The schema ------------------------------------------------------------
CREATE TEMP TABLE post_tables ON COMMIT DROP AS SELECT unnest(ARRAY[
    'review_policy', 'unit_review_modes', 'posts', 'post_authors',
    'post_revisions', 'post_publications', 'post_suggestions',
    'post_preview_links', 'post_comments', 'post_review_requests',
    'inbox_items'])::text AS t;
SELECT is((SELECT count(*)::int FROM pg_class c JOIN post_tables p
    ON c.relname = p.t AND c.relnamespace = 'public'::regnamespace
    WHERE c.relrowsecurity AND c.relforcerowsecurity), 11,
    'every new table has row-level security, ENABLEd and FORCEd');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON
    r.oid = c.relowner WHERE r.rolname IN ('chapterhouse_web',
    'chapterhouse_worker', 'chapterhouse_cli')), 0,
    'the process roles own nothing');
SELECT is((SELECT count(*)::int FROM post_tables p
    WHERE p.t <> 'review_policy' AND NOT EXISTS (SELECT 1
    FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid
    AND a.attnum = ANY (k.conkey) WHERE k.conrelid = p.t::regclass
    AND k.contype = 'p' AND a.attname = 'unit_id')), 0,
    'every tenant table''s primary key carries unit_id');
SELECT is((SELECT count(*)::int FROM pg_constraint k
    JOIN post_tables p ON k.conrelid = p.t::regclass
    WHERE k.contype = 'f' AND k.confrelid <> 'people'::regclass
    AND k.confrelid <> 'units'::regclass AND NOT EXISTS (SELECT 1
    FROM pg_attribute a WHERE a.attrelid = k.conrelid
    AND a.attnum = ANY (k.conkey) AND a.attname = 'unit_id')), 0,
    'and so does every foreign key between them');
SELECT ok(NOT has_table_privilege('chapterhouse_web', 'post_revisions',
    'UPDATE') AND NOT has_table_privilege('chapterhouse_web',
    'post_revisions', 'DELETE') AND NOT has_table_privilege(
    'chapterhouse_web', 'post_publications', 'INSERT, UPDATE, DELETE'),
    'the web role neither changes nor removes revisions or publications');
SELECT ok(NOT has_table_privilege('chapterhouse_web', 'inbox_items',
    'INSERT') AND NOT has_table_privilege('chapterhouse_web', 'posts',
    'DELETE') AND NOT has_column_privilege('chapterhouse_web', 'posts',
    'revision', 'UPDATE') AND NOT has_column_privilege('chapterhouse_web',
    'post_preview_links', 'token_hash', 'SELECT'),
    'nor fills inboxes, deletes posts, sets their revision or reads link '
    'digests');
SELECT is((SELECT count(*)::int FROM post_tables p
    WHERE has_table_privilege('chapterhouse_worker', p.t,
    'SELECT, INSERT, UPDATE, DELETE')), 0,
    'the worker has no privilege on any post table');
SELECT is((SELECT count(*)::int FROM pg_policies p JOIN post_tables t
    ON p.tablename = t.t WHERE p.qual ~ 'ch_my_units|ch_my_owned_units'
    OR p.with_check ~ 'ch_my_units|ch_my_owned_units'), 0,
    'no post policy calls a set-returning membership function per row');

SET LOCAL ROLE chapterhouse_web;

-- -- Drafting --------------------------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT lives_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT a, ann FROM ids$$, 'an author creates a post in her approved unit');
UPDATE ids SET p = (SELECT max(id) FROM posts WHERE unit_id = ids.a);
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, author_id,
    title, body, tags, channels) SELECT a, p, ann, 'Hello',
    'The cat sat on the mat.', '{news}', '{blog}' FROM ids$$,
    'and writes its first revision');
SELECT is((SELECT revision || ' ' || title FROM posts
    WHERE id = (SELECT p FROM ids)), '1 Hello',
    'the post shows its latest revision');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, ann, 'Hello',
    'The cat sat on the red mat.' FROM ids$$,
    'a save from revision 1 becomes revision 2');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 1, ann, 'Hello', 'other tab'
    FROM ids$$, 'CH412', NULL,
    'a second save from revision 1 loses (CH412)');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id,
    author_id, title, body) SELECT a, p, ann, 'Hello', 'no base' FROM ids$$,
    'CH412', NULL, 'so does a save that names no base');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 7, ann, 'Hello', 'ahead' FROM ids$$,
    'CH412', NULL, 'or a base that does not exist yet');
SELECT is((SELECT string_agg(number || ':' || body, '|' ORDER BY number)
    FROM post_revisions WHERE post_id = (SELECT p FROM ids)),
    '1:The cat sat on the mat.|2:The cat sat on the red mat.',
    'the history holds the two revisions and nothing else');
RESET ROLE;
ALTER TABLE post_revisions DISABLE TRIGGER post_revisions_next;
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, number,
    base, author_id, title, body) SELECT a, p, 2, 1, ann, 'Hello', 'race'
    FROM ids$$, '23505', NULL,
    'even past that check, the key lets one save follow revision 1');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, number,
    base, author_id, title, body) SELECT a, p, 5, 1, ann, 'Hello', 'skip'
    FROM ids$$, '23514', NULL, 'and numbers cannot skip');
ALTER TABLE post_revisions ENABLE TRIGGER post_revisions_next;
SELECT throws_ok($$UPDATE post_revisions SET body = 'rewritten'$$, '42501',
    NULL, 'revisions are immutable, even for the schema owner');
SELECT throws_ok($$DELETE FROM post_revisions$$, '42501', NULL,
    'and are never removed');
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT throws_ok($$UPDATE post_revisions SET body = 'x'$$, '42501', NULL,
    'the web role may not update a revision');

-- co-authors
SELECT lives_ok($$INSERT INTO post_authors (unit_id, post_id, person_id,
    added_by) SELECT a, p, col, ann FROM ids$$,
    'the author names a co-author from her unit');
SELECT throws_ok($$INSERT INTO post_authors (unit_id, post_id, person_id,
    added_by) SELECT a, p, bob, ann FROM ids$$, '23503', NULL,
    'but not someone outside it');
SELECT pg_temp.act((SELECT col FROM ids), '');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 2, col, 'Hello',
    'The cat sat on the red mat today.' FROM ids$$,
    'the co-author writes revision 3');
SELECT throws_ok($$INSERT INTO post_authors (unit_id, post_id, person_id,
    added_by) SELECT a, p, rem, col FROM ids$$, '42501', NULL,
    'a co-author names nobody');

-- reviewers read but never write the text
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT is((SELECT count(*)::int FROM post_revisions
    WHERE post_id = (SELECT p FROM ids)), 3, 'the unit''s editor reads it');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 3, eve, 'Mine', 'edited' FROM ids$$,
    '42501', NULL, 'but cannot write a revision');
WITH u AS (UPDATE posts SET state = 'published' WHERE id =
    (SELECT p FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'nor publish it') FROM u;
SELECT pg_temp.act((SELECT own FROM ids), '');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 3, own, 'Mine', 'edited' FROM ids$$,
    '42501', NULL, 'nor can the unit''s owner');
SELECT pg_temp.act((SELECT hub FROM ids), 'communicator');
SELECT is((SELECT count(*)::int FROM posts WHERE id = (SELECT p FROM ids)), 1,
    'a hub communicator reads every unit''s posts');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 3, hub, 'Hub', 'edited' FROM ids$$,
    '42501', NULL, 'but writes no revision');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 3, adm, 'Adm', 'edited' FROM ids$$,
    '42501', NULL, 'nor does a hub admin');
SELECT pg_temp.act((SELECT hr FROM ids), 'hr');
SELECT is((SELECT count(*)::int FROM posts), 0,
    'hub HR reads no post');

-- -- Suggestions and comments -----------------------------------------------
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT lives_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, comment, author_id) SELECT a, p, 3, 4,
    7, 'dog', 'Dogs read better', eve FROM ids$$,
    'the editor suggests a replacement of [4, 7) of revision 3');
UPDATE ids SET sg = (SELECT max(id) FROM post_suggestions);
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, author_id) SELECT a, p, 3, 30, 34, eve FROM ids$$,
    'CH422', NULL, 'a span past the text is refused');
SELECT lives_ok($$INSERT INTO post_comments (unit_id, post_id, revision,
    span_start, span_end, author_id, body) SELECT a, p, 3, 0, 3, eve,
    'Why "The"?' FROM ids$$, 'and comments on a span');
UPDATE ids SET cm = (SELECT max(id) FROM post_comments);
WITH u AS (UPDATE post_suggestions SET state = 'declined',
    decided_by = ch_person() RETURNING 1) SELECT is(count(*)::int, 0,
    'she cannot decide suggestions') FROM u;
SELECT pg_temp.act((SELECT hub FROM ids), 'communicator');
SELECT lives_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, replacement, author_id) SELECT a, p, 3, 26, 26,
    ' indeed', hub FROM ids$$,
    'a hub communicator suggests an insertion (an empty span)');
SELECT pg_temp.act((SELECT col FROM ids), '');
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, author_id) SELECT a, p, 3, 0, 1, col FROM ids$$,
    '42501', NULL, 'a plain author of the unit does not suggest');
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT lives_ok($$INSERT INTO post_comments (unit_id, post_id, reply_to,
    author_id, body) SELECT a, p, cm, ann, 'Because.' FROM ids$$,
    'the author answers the comment');
SELECT is((SELECT string_agg(kind, ',' ORDER BY kind) FROM inbox_items),
    'comment,suggestion,suggestion', 'her inbox holds the suggestions and '
    'the comment');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 3, ann, 'Hello',
    'The dog sat on the red mat today.' FROM ids$$,
    'she accepts the suggestion as revision 4');
WITH u AS (UPDATE post_suggestions SET state = 'accepted',
    accepted_revision = 4, decided_by = ch_person()
    WHERE id = (SELECT sg FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'and marks it accepted') FROM u;
SELECT throws_ok($$UPDATE post_suggestions SET state = 'declined',
    decided_by = ch_person() WHERE id = (SELECT sg FROM ids)$$, 'CH409',
    NULL, 'a suggestion is decided once');
WITH u AS (UPDATE post_comments SET resolved_at = now(),
    resolved_by = ch_person() WHERE id = (SELECT cm FROM ids) RETURNING 1)
    SELECT is(count(*)::int, 1, 'she resolves the comment') FROM u;
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT is((SELECT string_agg(kind, ',' ORDER BY kind) FROM inbox_items),
    'decision,reply', 'the editor is told of the decision and the reply');
WITH u AS (UPDATE post_comments SET resolved_at = now(),
    resolved_by = ch_person() RETURNING 1) SELECT is(count(*)::int, 0,
    'and resolves no comment herself') FROM u;

-- -- Review requests, review modes ------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT lives_ok($$INSERT INTO post_review_requests (unit_id, post_id,
    reviewer_id, requested_by) SELECT a, p, hub, ann FROM ids$$,
    'the author asks a hub communicator for a review');
SELECT throws_ok($$INSERT INTO post_review_requests (unit_id, post_id,
    reviewer_id, requested_by) SELECT a, p, col, ann FROM ids$$, 'CH422',
    NULL, 'but not a plain author');
SELECT pg_temp.act((SELECT own FROM ids), '');
SELECT lives_ok($$INSERT INTO unit_review_modes (unit_id, mode, updated_by)
    SELECT a, 'peer', own FROM ids$$, 'the owner sets the unit''s review mode');
SELECT is(ch_review_mode((SELECT a FROM ids)) || ' ' ||
    ch_review_mode((SELECT s FROM ids)), 'peer none',
    'a unit without one follows the hub''s default');
SELECT pg_temp.act((SELECT eve FROM ids), '');
WITH u AS (UPDATE unit_review_modes SET mode = 'none',
    updated_by = ch_person() RETURNING 1) SELECT is(count(*)::int, 0,
    'an editor does not change it') FROM u;

-- -- Publishing -------------------------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT throws_ok($$UPDATE posts SET state = 'scheduled',
    scheduled_at = now() - interval '1 minute' WHERE id =
    (SELECT p FROM ids)$$, 'CH422', NULL, 'no schedule in the past');
WITH u AS (UPDATE posts SET state = 'published', published_revision = 4
    WHERE id = (SELECT p FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'the author publishes with a suggestion still open') FROM u;
SELECT is((SELECT revision || ' ' || open_suggestions FROM post_publications
    WHERE post_id = (SELECT p FROM ids)), '4 1',
    'the publication records revision 4 and the open suggestion');
WITH u AS (UPDATE posts SET state = 'withdrawn'
    WHERE id = (SELECT p FROM ids) RETURNING 1) SELECT is(count(*)::int, 1,
    'she withdraws it') FROM u;
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT throws_ok($$INSERT INTO post_suggestions (unit_id, post_id, revision,
    span_start, span_end, author_id) SELECT a, p, 4, 0, 3, eve FROM ids$$,
    'CH409', NULL, 'no suggestion on a withdrawn post (CH409 since '
    '016_posts_review.sql)');
RESET ROLE;
SELECT is((SELECT string_agg(kind, ',' ORDER BY id) FROM jobs
    WHERE payload->>'post_id' = (SELECT p FROM ids)::text),
    'post.published,post.withdrawn', 'both queued a job for the worker');
SELECT throws_ok($$UPDATE post_publications SET open_suggestions = 0$$,
    '42501', NULL, 'publications are kept as they were');
SET LOCAL ROLE chapterhouse_web;

-- -- Another unit, a removed member, an expired guest ------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT count(*)::int FROM posts) + (SELECT count(*)::int FROM
    post_revisions), 2, 'bob, of unit B, sees only B''s post and revision');
SELECT is((SELECT count(*)::int FROM post_suggestions) + (SELECT count(*)::int
    FROM post_comments) + (SELECT count(*)::int FROM post_publications) +
    (SELECT count(*)::int FROM post_authors) + (SELECT count(*)::int FROM
    post_review_requests) + (SELECT count(*)::int FROM post_preview_links) +
    (SELECT count(*)::int FROM inbox_items), 0,
    'and none of A''s suggestions, comments, publications, co-authors, '
    'requests, links or inbox items');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 4, bob, 'X', 'x' FROM ids$$,
    '42501', NULL, 'he writes no revision of A''s post');
SELECT throws_ok($$INSERT INTO post_comments (unit_id, post_id, author_id,
    body) SELECT a, p, bob, 'x' FROM ids$$, '42501', NULL,
    'nor comments on it');
SELECT throws_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT a, bob FROM ids$$, '42501', NULL, 'nor creates a post in A');
RESET ROLE;
DELETE FROM unit_members WHERE person_id = (SELECT rem FROM ids);
DELETE FROM unit_members WHERE person_id = (SELECT col FROM ids);
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT rem FROM ids), '');
SELECT is((SELECT count(*)::int FROM posts), 0,
    'a removed member sees no post of the unit');
SELECT pg_temp.act((SELECT col FROM ids), '');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT a, p, 4, col, 'X', 'x' FROM ids$$,
    '42501', NULL, 'a removed co-author writes no more');
SELECT is((SELECT count(*)::int FROM post_authors), 0,
    '(her authorship went with her membership)');
SELECT pg_temp.act((SELECT old FROM ids), '');
SELECT is((SELECT count(*)::int FROM posts), 0,
    'a guest past their last day sees nothing');
SELECT throws_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT a, old FROM ids$$, '42501', NULL, 'and creates nothing');
SELECT pg_temp.act((SELECT gus FROM ids), '');
SELECT lives_ok($$INSERT INTO posts (unit_id, author_id)
    SELECT a, gus FROM ids$$, 'a guest before their last day creates a post');
SELECT lives_ok($$INSERT INTO post_revisions (unit_id, post_id, author_id,
    title, body) SELECT a, (SELECT id FROM posts WHERE author_id = gus), gus,
    'G', 'guest text' FROM ids$$, 'and writes it');

-- -- Suspended and archived units ---------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT count(*)::int FROM post_revisions WHERE unit_id IN
    ((SELECT s FROM ids), (SELECT r FROM ids))), 2,
    'in suspended and archived units members still read their posts');
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT s, ps, 1, ann, 'S', 'more' FROM ids$$,
    '42501', NULL, 'but write no revision in the suspended unit');
WITH u AS (UPDATE posts SET state = 'published' WHERE unit_id =
    (SELECT s FROM ids) RETURNING 1) SELECT is(count(*)::int, 0,
    'nor publish there') FROM u;
SELECT throws_ok($$INSERT INTO post_revisions (unit_id, post_id, base,
    author_id, title, body) SELECT r, pr, 1, ann, 'R', 'more' FROM ids$$,
    '42501', NULL, 'nor in the archived one');
SELECT pg_temp.act((SELECT hub FROM ids), 'communicator');
SELECT throws_ok($$INSERT INTO post_comments (unit_id, post_id, author_id,
    body) SELECT s, ps, hub, 'x' FROM ids$$, '42501', NULL,
    'nobody comments in a suspended unit, the hub neither');

-- -- Preview links ------------------------------------------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT lives_ok($$INSERT INTO post_preview_links (unit_id, post_id,
    token_hash, created_by, expires_at) SELECT b, pb, sha256('live'), bob,
    now() + interval '1 day' FROM ids$$, 'an author makes a preview link');
SELECT pg_temp.act(NULL, '');
SELECT is((SELECT outcome || ' ' || body FROM ch_preview_post(sha256('live'))),
    'ok in B', 'anyone holding it reads the draft');
SELECT ok(ch_preview_comment(sha256('live'), 'Agency', 'Nice', 1, 0, 2)
    IS NOT NULL, 'and comments under a typed name');
SELECT is((SELECT count(*)::int FROM ch_preview_post(sha256('nope'))), 0,
    'an unknown link shows nothing');
SELECT pg_temp.act((SELECT bob FROM ids), '');
UPDATE post_preview_links SET revoked_at = now(), revoked_by = ch_person();
SELECT pg_temp.act(NULL, '');
SELECT throws_ok($$SELECT ch_preview_comment(sha256('live'), 'Agency', 'Hi',
    NULL, NULL, NULL)$$, 'CH410', NULL, 'a revoked link is gone');
RESET ROLE;
INSERT INTO post_preview_links (unit_id, post_id, token_hash, created_by,
    created_at, expires_at) SELECT b, pb, sha256('old'), bob,
    now() - interval '2 days', now() - interval '1 day' FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT outcome || coalesce(body, '-') FROM
    ch_preview_post(sha256('old'))), 'expired-', 'an expired link shows '
    'nothing of the post');

-- -- Per statement, not per row --------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line	text;
	all_	text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN ' || q LOOP
		all_ := all_ || line || E'\n';
	END LOOP;
	RETURN all_;
END
$$;
SELECT ok(pg_temp.plan('SELECT * FROM post_revisions') ~ 'InitPlan' AND
    pg_temp.plan('SELECT * FROM post_revisions') !~ 'SubPlan',
    'reading revisions computes the reachable units once (an InitPlan)');

-- -- The job worker --------------------------------------------------------
RESET ROLE;
UPDATE posts SET state = 'scheduled', scheduled_at = now(),
    scheduled_revision = 1 WHERE id = (SELECT pb FROM ids);
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$SELECT count(*) FROM posts$$, '42501', NULL,
    'the worker reads no post');
SELECT is((SELECT count(*)::int FROM ch_publish_due(10)), 1,
    'it publishes the due post');
SELECT is((SELECT count(*)::int FROM ch_publish_due(10)), 0,
    'exactly once');
SET LOCAL ROLE chapterhouse_web;
SELECT throws_ok($$SELECT ch_publish_due(10)$$, '42501', NULL,
    'the web role does not run the scheduler');

SELECT * FROM finish();
ROLLBACK;
