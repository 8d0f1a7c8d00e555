-- sitemap_counts.sql: pgTAP proof of sql/046_sitemap_counts.sql.  The
-- sitemap's counts, per unit and per block of units, are recounted
-- from the public copies after each kind of change (a publication, an
-- edit published, a scheduled publication by the worker, a withdrawal,
-- a unit suspended, approved again, archived, made, a public copy moved
-- to another unit or removed) and are exact each time; where a page
-- begins, by small pages over units in three blocks, is the key a
-- numbering of every address gives; the public role reads the counts
-- of approved units only and writes none, and the other roles read
-- none.  Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(25);

INSERT INTO people (email, name, password_hash) VALUES ('ann@t', 'Ann', '!');
-- Units in three blocks of 1,024 ids, one of them requested.
INSERT INTO units (id, slug, name, kind, purpose, audience, state,
    requested_by) OVERRIDING SYSTEM VALUE
    SELECT v.id, v.slug, v.slug, 'chapter', 'p', 'a', v.state, p.id
    FROM people p, (VALUES (9000001, 'sc-a', 'approved'),
    (9000002, 'sc-b', 'approved'), (9001100, 'sc-c', 'approved'),
    (9002300, 'sc-d', 'approved'), (9002301, 'sc-req', 'requested'))
    v(id, slug, state) WHERE p.email = 'ann@t';
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, p.id, 'owner' FROM units u, people p
    WHERE u.slug LIKE 'sc-%' AND p.email = 'ann@t';
INSERT INTO posts (unit_id, author_id)
    SELECT u.id, p.id FROM units u, people p, generate_series(1, 4) g
    WHERE u.slug LIKE 'sc-%' AND p.email = 'ann@t';
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags)
    SELECT o.unit_id, o.id, o.author_id, 'Post ' || o.id, 'text',
    ARRAY['news'] FROM posts o JOIN units u ON u.id = o.unit_id
    WHERE u.slug LIKE 'sc-%';

-- The counts as the public copies and the units have them now.
CREATE FUNCTION pg_temp.exact() RETURNS boolean LANGUAGE sql AS $$
	SELECT NOT EXISTS (
	    (SELECT unit_id, posts, listed FROM public_sitemap_units
	    EXCEPT SELECT u.id, (SELECT count(*) FROM public_posts p
	    WHERE p.unit_id = u.id AND p.state = 'published'
	    AND p.listed), u.state = 'approved' FROM units u)
	    UNION ALL (SELECT u.id, (SELECT count(*) FROM public_posts p
	    WHERE p.unit_id = u.id AND p.state = 'published'
	    AND p.listed), u.state = 'approved' FROM units u
	    EXCEPT SELECT unit_id, posts, listed FROM public_sitemap_units))
	AND NOT EXISTS (
	    (SELECT unit_id, units, posts FROM public_sitemap_blocks
	    WHERE units <> 0 OR posts <> 0
	    EXCEPT SELECT u.id - u.id % 1024, count(*), sum((SELECT count(*)
	    FROM public_posts p JOIN units n ON n.id = p.unit_id
	    AND n.state = 'approved' WHERE p.unit_id = u.id
	    AND p.state = 'published' AND p.listed)) FROM units u
	    WHERE u.state = 'approved' GROUP BY 1)
	    UNION ALL (SELECT u.id - u.id % 1024, count(*), sum((SELECT
	    count(*) FROM public_posts p JOIN units n ON n.id = p.unit_id
	    AND n.state = 'approved' WHERE p.unit_id = u.id
	    AND p.state = 'published' AND p.listed)) FROM units u
	    WHERE u.state = 'approved' GROUP BY 1
	    EXCEPT SELECT unit_id, units, posts FROM public_sitemap_blocks))
$$;
-- Every address of the sitemap numbered from 0 (the front page), as
-- public_sitemap lists them; and the key of the last address before
-- page g of per, as ch_sitemap_page() should find it.
CREATE FUNCTION pg_temp.keys() RETURNS TABLE (i bigint, k integer,
    a bigint, b bigint) LANGUAGE sql AS $$
	SELECT row_number() OVER (ORDER BY y.k, y.a, y.b) - 1, y.k, y.a, y.b
	FROM (SELECT 0 AS k, 0::bigint AS a, 0::bigint AS b UNION ALL
	SELECT 1, u.id, 0 FROM units u WHERE u.state = 'approved'
	UNION ALL SELECT 2, p.unit_id, p.post_id FROM public_posts p
	JOIN units u ON u.id = p.unit_id AND u.state = 'approved'
	WHERE p.state = 'published' AND p.listed) y
$$;
-- Whether every page of per addresses, and one past the last, begins
-- where the numbering says, and the count is the numbering's.
CREATE FUNCTION pg_temp.pages(per bigint) RETURNS boolean LANGUAGE sql AS $$
	WITH all_keys AS (SELECT * FROM pg_temp.keys()),
	n AS (SELECT count(*) AS n FROM all_keys)
	SELECT bool_and(s.n = n.n AND (s.k, s.a, s.b) IS NOT DISTINCT FROM
	    (coalesce(x.k, -1), coalesce(x.a, 0), coalesce(x.b, 0)))
	FROM n, generate_series(1, n.n / per + 2) g
	CROSS JOIN LATERAL ch_sitemap_page(g, per) s
	LEFT JOIN LATERAL (SELECT y.k, y.a, y.b FROM all_keys y
	    WHERE g > 1 AND (g - 1) * per < n.n
	    AND y.i = (g - 1) * per - 1) x ON true
$$;

SELECT ok(pg_temp.exact(), 'new units have their counts, nothing listed');
UPDATE posts SET state = 'published', published_revision = 1
    WHERE id IN (SELECT o.id FROM posts o JOIN units u ON u.id = o.unit_id
    WHERE u.slug LIKE 'sc-%' AND u.state = 'approved'
    AND o.id <> (SELECT max(x.id) FROM posts x WHERE x.unit_id = u.id));
SELECT ok(pg_temp.exact(), 'publications are counted');
SELECT is((SELECT posts FROM public_sitemap_units u JOIN units n
    ON n.id = u.unit_id WHERE n.slug = 'sc-a'), 3::bigint,
    'three of the four posts of a unit are listed');
SELECT is((SELECT (posts, listed)::text FROM public_sitemap_units u
    JOIN units n ON n.id = u.unit_id WHERE n.slug = 'sc-req'), '(0,f)',
    'a requested unit has its row, not listed');
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT o.unit_id, o.id, 1, o.author_id, 'Changed', 'later'
    FROM posts o JOIN units u ON u.id = o.unit_id
    WHERE u.slug = 'sc-a' AND o.state = 'published';
UPDATE posts SET published_revision = 2 WHERE id = (SELECT min(o.id)
    FROM posts o JOIN units u ON u.id = o.unit_id WHERE u.slug = 'sc-a'
    AND o.state = 'published');
SELECT ok(pg_temp.exact(), 'an edit published counts the post once');
UPDATE posts SET state = 'scheduled', scheduled_at = now(),
    scheduled_revision = 1 WHERE id = (SELECT max(o.id) FROM posts o
    JOIN units u ON u.id = o.unit_id WHERE u.slug = 'sc-b');
SELECT ok(pg_temp.exact(), 'a scheduled post is not counted');
SELECT ok((SELECT count(*) >= 1 FROM ch_publish_due(100)),
    'fixtures: the worker publishes the post that is due');
SELECT ok(pg_temp.exact(), 'a scheduled publication is counted');
UPDATE posts SET state = 'withdrawn' WHERE id = (SELECT min(o.id)
    FROM posts o JOIN units u ON u.id = o.unit_id WHERE u.slug = 'sc-c'
    AND o.state = 'published');
SELECT ok(pg_temp.exact(), 'a withdrawal is counted');
UPDATE units SET state = 'suspended' WHERE slug = 'sc-b';
SELECT ok(pg_temp.exact(), 'a suspended unit and its posts leave the counts');
SELECT is((SELECT units FROM public_sitemap_blocks
    WHERE unit_id = 9000001 - 9000001 % 1024), 1::bigint,
    'its block counts one listed unit');
UPDATE units SET state = 'approved' WHERE slug = 'sc-b';
SELECT ok(pg_temp.exact(), 'approved again, they come back');
UPDATE units SET state = 'archived' WHERE slug = 'sc-d';
SELECT ok(pg_temp.exact(), 'an archived unit leaves the counts');
SELECT ok(pg_temp.pages(1) AND pg_temp.pages(2) AND pg_temp.pages(3)
    AND pg_temp.pages(5) AND pg_temp.pages(50000),
    'every page begins after the key of the last address of the one '
    'before, by pages of 1, 2, 3, 5 and 50,000 addresses');
SELECT is((SELECT n FROM ch_sitemap_page(1, 50000)),
    (SELECT count(*) FROM pg_temp.keys()),
    'the sitemap counts every address once');
-- The public copies written directly: a copy moved to another unit and
-- one removed (nothing in the product does either today).
ALTER TABLE public_post_tags DROP CONSTRAINT
    public_post_tags_unit_id_post_id_fkey;
ALTER TABLE public_posts DROP CONSTRAINT public_posts_unit_id_post_id_fkey;
UPDATE public_posts SET unit_id = (SELECT id FROM units WHERE slug = 'sc-c')
    WHERE post_id = (SELECT max(p.post_id) FROM public_posts p JOIN units u
    ON u.id = p.unit_id WHERE u.slug = 'sc-a' AND p.state = 'published');
SELECT ok(pg_temp.exact(), 'a post moved to another unit is counted there');
DELETE FROM public_post_tags WHERE post_id = (SELECT min(p.post_id)
    FROM public_posts p JOIN units u ON u.id = p.unit_id
    WHERE u.slug = 'sc-b' AND p.state = 'published');
DELETE FROM public_posts WHERE post_id = (SELECT min(p.post_id)
    FROM public_posts p JOIN units u ON u.id = p.unit_id
    WHERE u.slug = 'sc-b' AND p.state = 'published');
SELECT ok(pg_temp.exact(), 'a removed post leaves the counts');
SELECT ok(pg_temp.pages(1) AND pg_temp.pages(2) AND pg_temp.pages(4),
    'and the pages still begin where the numbering says');
GRANT SELECT ON units TO chapterhouse_anon;

SET LOCAL ROLE chapterhouse_anon;
SELECT is((SELECT string_agg(n.slug, ' ' ORDER BY n.id)
    FROM public_sitemap_units s JOIN units n ON n.id = s.unit_id
    WHERE n.slug LIKE 'sc-%'), 'sc-a sc-b sc-c',
    'the public role reads the counts of approved units only');
SELECT is((SELECT n FROM ch_sitemap_page(1, 50000)),
    (SELECT (1 + sum(units) + sum(posts))::bigint
    FROM public_sitemap_blocks),
    'and counts the sitemap from the blocks');
SELECT throws_ok($$UPDATE public_sitemap_units SET posts = 0$$, '42501',
    NULL, 'it changes no count');
SELECT throws_ok($$INSERT INTO public_sitemap_blocks VALUES (0, 1, 1)$$,
    '42501', NULL, 'nor adds a block');
SELECT throws_ok($$SELECT ch_sitemap_add(ARRAY[1]::bigint[],
    ARRAY[1]::bigint[])$$, '42501', NULL,
    'nor calls the function that counts');
RESET ROLE;
SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.person', (SELECT id FROM people
    WHERE email = 'ann@t')::text, true);
SELECT throws_ok($$SELECT count(*) FROM public_sitemap_units$$, '42501',
    NULL, 'the web role, even for a unit''s owner, reads no count');
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$DELETE FROM public_sitemap_blocks$$, '42501', NULL,
    'the worker removes none');

SELECT * FROM finish();
ROLLBACK;
