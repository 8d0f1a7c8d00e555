-- public_anon.sql: pgTAP proof of sql/033_public_anon.sql.  The public
-- pages' role, chapterhouse_anon, reads the public copies of listed
-- units' published posts and their tags, and nothing of a suspended
-- unit, whatever the settings claim; it reads no post, revision or
-- member, and writes no public copy.  Run like rls_units.sql (as the
-- superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(9);

INSERT INTO people (email, name, password_hash) VALUES ('ann@t', 'Ann', '!');
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT v.slug, v.slug, 'chapter', 'p', 'a', 'approved', p.id
    FROM people p, (VALUES ('pa-open'), ('pa-shut')) v(slug)
    WHERE p.email = 'ann@t';
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, p.id, 'owner' FROM units u, people p
    WHERE u.slug LIKE 'pa-%' AND p.email = 'ann@t';
INSERT INTO posts (unit_id, author_id)
    SELECT u.id, p.id FROM units u, people p, generate_series(1, 2) g
    WHERE u.slug LIKE 'pa-%' AND p.email = 'ann@t';
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags)
    SELECT o.unit_id, o.id, o.author_id, 'Post ' || o.id, 'text',
    ARRAY['news'] FROM posts o JOIN units u ON u.id = o.unit_id
    WHERE u.slug LIKE 'pa-%';
-- One post of each unit is published, the other stays a draft; then
-- pa-shut is suspended.
UPDATE posts SET state = 'published', published_revision = 1
    WHERE id IN (SELECT min(o.id) FROM posts o JOIN units u
    ON u.id = o.unit_id WHERE u.slug LIKE 'pa-%' GROUP BY o.unit_id);
UPDATE units SET state = 'suspended' WHERE slug = 'pa-shut';

SELECT set_config('pa.ann', (SELECT id FROM people WHERE email = 'ann@t')::text,
    true);
SET LOCAL ROLE chapterhouse_anon;
SELECT is((SELECT string_agg(u.slug, ' ') FROM public_posts p JOIN units u
    ON u.id = p.unit_id WHERE u.slug LIKE 'pa-%'), 'pa-open',
    'the public role reads the published post of the approved unit only');
SELECT is((SELECT count(*)::integer FROM public_post_tags g JOIN units u
    ON u.id = g.unit_id WHERE u.slug LIKE 'pa-%'), 1,
    'and its tags only');
SELECT set_config('chapterhouse.person', current_setting('pa.ann'), true);
SELECT set_config('chapterhouse.hub_roles', 'admin', true);
SELECT is((SELECT count(*)::integer FROM public_posts p JOIN units u
    ON u.id = p.unit_id WHERE u.slug LIKE 'pa-%'), 1,
    'an owner and a hub admin claimed by the settings see no more');
SELECT throws_ok($$SELECT count(*) FROM posts$$, '42501', NULL,
    'it reads no post');
SELECT throws_ok($$SELECT count(*) FROM post_revisions$$, '42501', NULL,
    'nor any revision');
SELECT throws_ok($$SELECT count(*) FROM unit_members$$, '42501', NULL,
    'nor who belongs to a unit');
SELECT throws_ok($$SELECT requested_by FROM units$$, '42501', NULL,
    'nor who asked for a unit');
SELECT throws_ok($$UPDATE public_posts SET title = 'x'$$, '42501', NULL,
    'it changes no public copy');
SELECT throws_ok($$DELETE FROM public_post_tags$$, '42501', NULL,
    'nor removes a tag');

SELECT * FROM finish();
ROLLBACK;
