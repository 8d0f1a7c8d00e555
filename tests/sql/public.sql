-- public.sql: pgTAP proof of sql/027_public.sql.  Nobody acting (the
-- public pages look up no session) reads only the published version of
-- posts of approved units: never a draft, a scheduled post (until the
-- worker publishes it), an edit after publishing, a withdrawn post's
-- text, or a suspended or archived unit's posts; nobody writes the
-- public tables by hand; slugs are stable and unique in a unit.  Run like rls_units.sql (as the
-- superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(26);

INSERT INTO people (email, name, password_hash) VALUES ('ann@t', 'Ann', '!');
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT v.slug, v.slug, 'chapter', 'p', 'a', 'approved', p.id
    FROM people p, (VALUES ('unit-a'), ('unit-b')) v(slug)
    WHERE p.email = 'ann@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM units WHERE slug = 'unit-a') AS a,
    (SELECT id FROM units WHERE slug = 'unit-b') AS b;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u, ann, 'owner' FROM ids, unnest(ARRAY[a, b]) u;
-- Posts 1-4 in unit-a, 5 in unit-b, each with one revision.
INSERT INTO posts (unit_id, author_id)
    SELECT CASE WHEN g < 5 THEN a ELSE b END, ann
    FROM ids, generate_series(1, 5) g;
CREATE TEMP TABLE p ON COMMIT DROP AS SELECT row_number() OVER
    (ORDER BY id) AS n, unit_id, id FROM posts;
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags)
    SELECT p.unit_id, p.id, ann, CASE WHEN n < 3 THEN 'Spring  Fair!'
    ELSE 'Post ' || n END, 'text ' || n, ARRAY['Events', 'events', 'x']
    FROM p, ids;
GRANT SELECT ON ids, p TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true),
    set_config('chapterhouse.hub_roles', '', true);
UPDATE posts SET state = 'published', published_revision = 1
    WHERE id IN (SELECT id FROM p WHERE n IN (1, 2, 4, 5));
UPDATE posts SET state = 'scheduled', scheduled_at = now() + interval '1 day'
    WHERE id = (SELECT id FROM p WHERE n = 3);
-- Post 1 is edited after publishing.
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT p.unit_id, p.id, 1, ann, 'Changed', 'not yet public'
    FROM p, ids WHERE n = 1;

-- Nobody acts from here on.
SELECT set_config('chapterhouse.person', '', true);
SELECT is((SELECT string_agg(slug, ' ' ORDER BY post_id) FROM public_posts
    WHERE unit_id = (SELECT a FROM ids)), 'spring-fair spring-fair-2 post-4',
    'slugs come from the title, unique in the unit');
SELECT is((SELECT slug FROM public_posts WHERE unit_id = (SELECT b FROM ids)),
    'post-5', 'another unit has its own slugs');
SELECT is((SELECT count(*)::integer FROM public_posts WHERE post_id =
    (SELECT id FROM p WHERE n = 3)), 0, 'a scheduled post is not public');
SELECT is((SELECT count(*)::integer FROM posts), 0,
    'nobody acting reads no post');
SELECT is((SELECT count(*)::integer FROM post_revisions), 0,
    'nor any revision');
SELECT is((SELECT title || '/' || body FROM public_posts WHERE post_id =
    (SELECT id FROM p WHERE n = 1)), 'Spring  Fair!/text 1',
    'an edit after publishing is not public');
SELECT is((SELECT string_agg(tag, ' ' ORDER BY tag) FROM public_post_tags
    WHERE post_id = (SELECT id FROM p WHERE n = 1)), 'events x',
    'tags in lower case, once each');
SELECT throws_ok($$INSERT INTO public_posts (unit_id, post_id, slug, state,
    listed) SELECT unit_id, id, 'mine', 'published', true FROM p
    WHERE n = 3$$, '42501', NULL, 'nobody writes a public post by hand');
SELECT throws_ok($$UPDATE public_posts SET title = 'x'$$, '42501', NULL,
    'nor changes one');
SELECT throws_ok($$DELETE FROM public_post_tags$$, '42501', NULL,
    'nor removes a tag');

-- The author publishes the edit, then withdraws post 2.
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true);
UPDATE posts SET published_revision = 2
    WHERE id = (SELECT id FROM p WHERE n = 1);
UPDATE posts SET state = 'withdrawn' WHERE id = (SELECT id FROM p WHERE n = 2);
SELECT set_config('chapterhouse.person', '', true);
SELECT is((SELECT slug || '/' || title || '/' || body FROM public_posts
    WHERE post_id = (SELECT id FROM p WHERE n = 1)),
    'spring-fair/Changed/not yet public',
    'the next publication shows the edit under the same slug');
SELECT is((SELECT count(*)::integer FROM public_post_tags WHERE post_id =
    (SELECT id FROM p WHERE n = 1)), 0, 'with the new revision''s tags');
SELECT is((SELECT state || '/' || title || '/' || body || '/' ||
    cardinality(tags) FROM public_posts WHERE post_id =
    (SELECT id FROM p WHERE n = 2)), 'withdrawn///0',
    'a withdrawn post keeps its slug and nothing of its text');
SELECT is((SELECT count(*)::integer FROM public_post_tags WHERE post_id =
    (SELECT id FROM p WHERE n = 2)), 0, 'nor its tags');

-- Published again: the same slug; a new post never takes it.
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true);
UPDATE posts SET state = 'published' WHERE id = (SELECT id FROM p WHERE n = 2);
SELECT set_config('chapterhouse.person', '', true);
SELECT is((SELECT slug || '/' || state || '/' || title FROM public_posts
    WHERE post_id = (SELECT id FROM p WHERE n = 2)),
    'spring-fair-2/published/Spring  Fair!', 'published again, same slug');
SELECT is(ch_public_slug('  --Été à Paris: 2026 -- '), 't-paris-2026',
    'a slug keeps a-z and 0-9 only');
SELECT is(ch_public_slug('¿¡'), 'post', 'and is "post" when nothing is left');
SELECT is(length(ch_public_slug(repeat('ab ', 100))), 59,
    'and is cut at 60 characters, without a trailing "-"');

-- The job worker publishes the scheduled post when it is due.
RESET ROLE;
UPDATE posts SET scheduled_at = now() - interval '1 minute'
    WHERE id = (SELECT id FROM p WHERE n = 3);
SET LOCAL ROLE chapterhouse_worker;
SELECT is((SELECT count(*)::integer FROM ch_publish_due(10)), 1,
    'fixtures: the worker publishes the due post');
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT slug || '/' || title FROM public_posts WHERE post_id =
    (SELECT id FROM p WHERE n = 3)), 'post-3/Post 3',
    'a post published by its schedule is public');

-- The hub suspends unit-a and archives unit-b: their rows disappear.
RESET ROLE;
UPDATE units SET state = 'suspended' WHERE slug = 'unit-a';
UPDATE units SET state = 'archived' WHERE slug = 'unit-b';
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT count(*)::integer FROM public_posts), 0,
    'a suspended or archived unit''s posts are not public');
SELECT is((SELECT count(*)::integer FROM public_post_tags), 0,
    'nor their tags');
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true);
SELECT is((SELECT count(*)::integer FROM public_posts), 0,
    'not even to their owner');
SELECT set_config('chapterhouse.person', '', true);
RESET ROLE;
UPDATE units SET state = 'approved' WHERE slug = 'unit-a';
SET LOCAL ROLE chapterhouse_web;
SELECT is((SELECT count(*)::integer FROM public_posts), 4,
    'approved again, its posts are back');
SELECT is((SELECT count(*)::integer FROM public_post_tags), 6,
    'with their tags');
SELECT is((SELECT count(*)::integer FROM public_posts
    WHERE unit_id = (SELECT b FROM ids)), 0, 'the archived unit stays out');

SELECT * FROM finish();
ROLLBACK;
