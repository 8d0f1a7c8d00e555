-- public_cache.sql: pgTAP proof of sql/034_public_cache.sql.  A unit's
-- row of public_changes, and the confederation's, change with each
-- publication, edit published, withdrawal and suspension, and another
-- unit's does not; an edit not yet published and a draft change
-- nothing; the public reads the rows of approved units and the
-- confederation's, and nobody writes them by hand.  Run like
-- rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(16);

INSERT INTO people (email, name, password_hash) VALUES ('ann@t', 'Ann', '!');
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT v.slug, v.slug, 'chapter', 'p', 'a', v.state, p.id
    FROM people p, (VALUES ('pc-a', 'approved'), ('pc-b', 'approved'),
    ('pc-req', 'requested')) v(slug, state)
    WHERE p.email = 'ann@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM units WHERE slug = 'pc-a') AS a,
    (SELECT id FROM units WHERE slug = 'pc-b') AS b;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u, ann, 'owner' FROM ids, unnest(ARRAY[a, b]) u;
INSERT INTO posts (unit_id, author_id)
    SELECT a, ann FROM ids, generate_series(1, 2);
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT o.unit_id, o.id, o.author_id, 'Post ' || o.id, 'text'
    FROM posts o, ids WHERE o.unit_id = ids.a;
CREATE TEMP TABLE seen (n serial, a bigint, b bigint, c bigint,
    a_at timestamptz) ON COMMIT DROP;
CREATE FUNCTION pg_temp.look() RETURNS void LANGUAGE sql AS $$
	INSERT INTO seen (a, b, c, a_at) SELECT
	    (SELECT version FROM public_changes WHERE unit_id = ids.a),
	    (SELECT version FROM public_changes WHERE unit_id = ids.b),
	    (SELECT version FROM public_changes WHERE unit_id = 0),
	    (SELECT changed_at FROM public_changes WHERE unit_id = ids.a)
	    FROM ids
$$;
CREATE FUNCTION pg_temp.moved() RETURNS boolean LANGUAGE sql AS $$
	SELECT x.a <> y.a AND x.c <> y.c AND x.b = y.b AND x.a_at <= y.a_at
	FROM seen x, seen y WHERE y.n = (SELECT max(n) FROM seen)
	AND x.n = y.n - 1
$$;
CREATE FUNCTION pg_temp.still() RETURNS boolean LANGUAGE sql AS $$
	SELECT x.a = y.a AND x.c = y.c AND x.b = y.b
	FROM seen x, seen y WHERE y.n = (SELECT max(n) FROM seen)
	AND x.n = y.n - 1
$$;

SELECT ok((SELECT count(*) = 3 FROM public_changes c, ids
    WHERE c.unit_id IN (0, ids.a, ids.b)),
    'every unit has a row, and the confederation (unit 0)');
SELECT pg_temp.look();
UPDATE posts SET state = 'published', published_revision = 1
    WHERE id = (SELECT min(id) FROM posts WHERE unit_id = (SELECT a FROM ids));
SELECT pg_temp.look();
SELECT ok(pg_temp.moved(), 'a publication changes its unit''s and the '
    'confederation''s versions, not another unit''s');
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT o.unit_id, o.id, 1, o.author_id, 'Changed', 'later'
    FROM posts o WHERE o.id = (SELECT min(id) FROM posts
    WHERE unit_id = (SELECT a FROM ids));
SELECT pg_temp.look();
SELECT ok(pg_temp.still(), 'an edit not yet published changes nothing');
UPDATE posts SET published_revision = 2
    WHERE id = (SELECT min(id) FROM posts WHERE unit_id = (SELECT a FROM ids));
SELECT pg_temp.look();
SELECT ok(pg_temp.moved(), 'an edit published changes them');
UPDATE posts SET state = 'withdrawn'
    WHERE id = (SELECT min(id) FROM posts WHERE unit_id = (SELECT a FROM ids));
SELECT pg_temp.look();
SELECT ok(pg_temp.moved(), 'a withdrawal changes them');
UPDATE units SET state = 'suspended' WHERE slug = 'pc-a';
SELECT pg_temp.look();
SELECT ok(pg_temp.moved(), 'a suspension changes them');
SELECT is((SELECT listed FROM public_changes, ids WHERE unit_id = ids.a),
    false, 'and the suspended unit''s row is no longer listed');
UPDATE units SET state = 'approved' WHERE slug = 'pc-a';
SELECT pg_temp.look();
SELECT ok(pg_temp.moved(), 'approved again, they change again');
SELECT ok((SELECT x.c < y.c FROM seen x, seen y WHERE x.n = 1 AND
    y.n = (SELECT max(n) FROM seen)), 'versions only grow');
GRANT SELECT ON ids TO chapterhouse_web, chapterhouse_anon;

SET LOCAL ROLE chapterhouse_anon;
SELECT is((SELECT string_agg(CASE WHEN c.unit_id = 0 THEN 'all'
    ELSE u.slug END, ' ' ORDER BY c.unit_id) FROM public_changes c
    LEFT JOIN units u ON u.id = c.unit_id WHERE c.unit_id = 0
    OR u.slug LIKE 'pc-%'), 'all pc-a pc-b',
    'the public role reads the confederation''s and approved units'' rows');
SELECT throws_ok($$UPDATE public_changes SET version = 1$$, '42501', NULL,
    'it changes none');
SELECT throws_ok($$SELECT ch_public_changed(0, true)$$, '42501', NULL,
    'nor calls the function that records a change');
RESET ROLE;
SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.person', (SELECT ann FROM ids)::text, true);
SELECT is((SELECT count(*)::integer FROM public_changes c JOIN units u
    ON u.id = c.unit_id WHERE u.slug = 'pc-req'), 0,
    'the web role, even for the unit''s owner, reads no row of a unit '
    'that is not approved');
SELECT throws_ok($$INSERT INTO public_changes VALUES (42, 1, now(), true)$$,
    '42501', NULL, 'nor writes one');
SELECT throws_ok($$DELETE FROM public_changes$$, '42501', NULL,
    'nor removes one');
SELECT throws_ok($$UPDATE public_changes SET listed = true$$, '42501', NULL,
    'nor lists one');

SELECT * FROM finish();
ROLLBACK;
