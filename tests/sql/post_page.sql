-- post_page.sql: pgTAP proof of sql/047_post_page.sql.  The post page
-- reads the view ch_post_page, which checks the reach once, for the
-- post, where each table of the post had its own read policy: it shows
-- exactly the posts those policies show (a unit's current members, any
-- state, and the hub's admins and communicators; not a member of another
-- unit, a removed member, an expired guest, a stranger, the hub's HR or
-- nobody), and of a post exactly the suggestions, comments, co-authors
-- and review requests the web role reads of it; a rule's link only of a
-- hub rule or the post's own unit; a function of the caller's sees no
-- row the check refuses (a security barrier); settings made by hand
-- widen nothing; the anonymous role may not read it, the web role may
-- not change it; reading it calls no definer function.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(34);

-- ann owns A (approved) and B (suspended), eve edits A, gwen is a guest
-- of A, gus was one (expired), rex was an author of A (removed), bob
-- owns C; hal is a hub admin, cora a communicator, hugo HR; stan is
-- nobody's member.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('gwen@t', 'Gwen', '!'),
    ('gus@t', 'Gus', '!'), ('rex@t', 'Rex', '!'), ('bob@t', 'Bob', '!'),
    ('hal@t', 'Hal', '!'), ('cora@t', 'Cora', '!'), ('hugo@t', 'Hugo', '!'),
    ('stan@t', 'Stan', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'gwen@t') AS gwen,
    (SELECT id FROM people WHERE email = 'gus@t') AS gus,
    (SELECT id FROM people WHERE email = 'rex@t') AS rex,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'hal@t') AS hal,
    (SELECT id FROM people WHERE email = 'cora@t') AS cora,
    (SELECT id FROM people WHERE email = 'hugo@t') AS hugo,
    (SELECT id FROM people WHERE email = 'stan@t') AS stan;
INSERT INTO hub_roles (person_id, role)
    SELECT hal, 'admin' FROM ids UNION ALL SELECT cora, 'communicator'
    FROM ids UNION ALL SELECT hugo, 'hr' FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', ann
    FROM ids
    UNION ALL SELECT 'unit-c', 'C', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint, ADD COLUMN c bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b'),
    c = (SELECT id FROM units WHERE slug = 'unit-c');
INSERT INTO unit_members (unit_id, person_id, role, expires_at)
    SELECT a, ann, 'owner', NULL::timestamptz FROM ids
    UNION ALL SELECT b, ann, 'owner', NULL FROM ids
    UNION ALL SELECT a, eve, 'editor', NULL FROM ids
    UNION ALL SELECT a, gwen, 'guest', now() + interval '1 day' FROM ids
    UNION ALL SELECT a, gus, 'guest', now() - interval '1 day' FROM ids
    UNION ALL SELECT a, rex, 'author', NULL FROM ids
    UNION ALL SELECT c, bob, 'owner', NULL FROM ids;
-- One post in each unit, with a revision, a suggestion and a comment;
-- A's has a co-author and a review request.
INSERT INTO posts (unit_id, author_id)
    SELECT a, ann FROM ids UNION ALL SELECT b, ann FROM ids
    UNION ALL SELECT c, bob FROM ids;
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body, tags,
    channels)
    SELECT p.unit_id, p.id, p.author_id, 'T', 'The cat sat on the mat in '
    || u.name || '.', '{}', '{}' FROM posts p JOIN units u ON u.id = p.unit_id
    JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
    span_end, replacement, author_id)
    SELECT p.unit_id, p.id, 1, 4, 7, 'dog', p.author_id FROM posts p
    JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_comments (unit_id, post_id, author_id, body, revision,
    span_start, span_end)
    SELECT p.unit_id, p.id, p.author_id, 'Fine.', 1, 8, 11 FROM posts p
    JOIN ids ON p.unit_id IN (a, b, c);
INSERT INTO post_authors (unit_id, post_id, person_id, added_by)
    SELECT p.unit_id, p.id, eve, ann FROM posts p JOIN ids ON p.unit_id = a;
INSERT INTO post_review_requests (unit_id, post_id, reviewer_id,
    requested_by)
    SELECT p.unit_id, p.id, eve, ann FROM posts p JOIN ids ON p.unit_id = a;
ALTER TABLE ids ADD COLUMN pa bigint, ADD COLUMN pb bigint,
    ADD COLUMN pc bigint;
UPDATE ids SET pa = (SELECT id FROM posts WHERE unit_id = ids.a),
    pb = (SELECT id FROM posts WHERE unit_id = ids.b),
    pc = (SELECT id FROM posts WHERE unit_id = ids.c);
-- Three rules with links: a hub rule, a rule of A and a rule of C; A's
-- post has a guideline suggestion of each (the one of C's rule made by
-- hand: the guidelines never make it).
INSERT INTO guide_hub_rules (kind, fields, message, link, created_by,
    updated_by)
    SELECT 'term', '{"pattern": "cat", "regex": false,
    "case_sensitive": false, "replacement": null}', 'Hub.',
    'https://hub.example.org/h', hal, hal FROM ids;
INSERT INTO guide_unit_rules (unit_id, kind, fields, message, link,
    created_by, updated_by)
    SELECT u, 'term', '{"pattern": "mat", "regex": false,
    "case_sensitive": false, "replacement": null}', 'Unit.',
    'https://hub.example.org/' || l, o, o FROM ids,
    LATERAL (VALUES (a, 'a', ann), (c, 'c', bob)) x (u, l, o);
INSERT INTO post_suggestions (unit_id, post_id, revision, span_start,
    span_end, replacement, source, rule_id)
    SELECT pa.unit_id, pa.id, 1, 4, 7, 'cat', 'guidelines', r.id
    FROM ids JOIN posts pa ON pa.id = ids.pa,
    (SELECT id FROM guide_hub_rules WHERE message = 'Hub.' UNION ALL
    SELECT id FROM guide_unit_rules WHERE message = 'Unit.') r;
-- B is suspended after its post was written; rex is removed from A.
UPDATE units SET state = 'suspended' WHERE id = (SELECT b FROM ids);
DELETE FROM unit_members WHERE person_id = (SELECT rex FROM ids);
GRANT SELECT ON ids TO chapterhouse_web, chapterhouse_anon;

CREATE FUNCTION pg_temp.act(who bigint, roles text) RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', coalesce(who::text, ''), true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
-- The units (by letter) whose post pages the caller reads.
CREATE FUNCTION pg_temp.pages() RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(n.l, '' ORDER BY n.l), '-')
	FROM ch_post_page v JOIN (SELECT pa, 'A' FROM ids UNION ALL
	    SELECT pb, 'B' FROM ids UNION ALL SELECT pc, 'C' FROM ids)
	    n (id, l) ON n.id = v.id
$$;
CREATE FUNCTION pg_temp.pages_of(who bigint, roles text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who, roles);
	RETURN pg_temp.pages();
END
$$;
-- For each post the caller reads (by letter): its suggestions, comments,
-- co-authors and requested reviewers through the page, then through the
-- tables (their own policies).
CREATE FUNCTION pg_temp.parts() RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(format('%s %s/%s %s/%s %s/%s %s/%s', n.l,
	    json_array_length(v.suggestions::json),
	    (SELECT count(*) FROM post_suggestions s WHERE s.post_id = v.id),
	    json_array_length(v.comments::json),
	    (SELECT count(*) FROM post_comments c WHERE c.post_id = v.id),
	    json_array_length(v.post::json->'co_authors'),
	    (SELECT count(*) FROM post_authors a WHERE a.post_id = v.id),
	    (SELECT count(*) FROM json_array_elements(v.reviewers::json) e
		WHERE (e->>'asked')::boolean),
	    (SELECT count(*) FROM post_review_requests k
		WHERE k.post_id = v.id)), ', ' ORDER BY n.l), '-')
	FROM ch_post_page v JOIN (SELECT pa, 'A' FROM ids UNION ALL
	    SELECT pb, 'B' FROM ids UNION ALL SELECT pc, 'C' FROM ids)
	    n (id, l) ON n.id = v.id
$$;

-- Calls of SECURITY DEFINER functions so far in this transaction.
SET LOCAL track_functions = 'all';
CREATE FUNCTION pg_temp.definer_calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce(sum(f.calls), 0)::bigint
	FROM pg_stat_xact_user_functions f JOIN pg_proc p ON p.oid = f.funcid
	WHERE p.prosecdef
$$;
CREATE FUNCTION pg_temp.definer_calls_of(q text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	before	bigint := pg_temp.definer_calls();
BEGIN
	EXECUTE q;
	RETURN pg_temp.definer_calls() - before;
END
$$;
-- What a function of the caller's was shown, and the function.
CREATE TEMP TABLE seen (body text) ON COMMIT DROP;
GRANT INSERT, SELECT ON seen TO chapterhouse_web;
CREATE FUNCTION pg_temp.leak(b text) RETURNS boolean LANGUAGE plpgsql
COST 0.0000001 AS $$
BEGIN
	INSERT INTO pg_temp.seen VALUES (b);
	RETURN true;
END
$$;

-- -- the view's shape -------------------------------------------------------
SELECT ok((SELECT c.relkind = 'v' AND pg_get_userbyid(c.relowner) =
    pg_get_userbyid((SELECT relowner FROM pg_class
    WHERE oid = 'posts'::regclass)) AND 'security_barrier=true' =
    ANY (c.reloptions) AND coalesce(NOT 'security_invoker=true' =
    ANY (c.reloptions), true)
    FROM pg_class c WHERE c.oid = 'ch_post_page'::regclass),
    'ch_post_page is a security-barrier view of the owner of posts, read '
    'as its owner');
SELECT ok(has_table_privilege('chapterhouse_web', 'ch_post_page', 'SELECT')
    AND NOT has_table_privilege('chapterhouse_web', 'ch_post_page',
    'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
    AND NOT pg_has_role('chapterhouse_web', (SELECT relowner FROM pg_class
    WHERE oid = 'ch_post_page'::regclass), 'USAGE'),
    'the web role may read the view, nothing more, and is not its owner');
SELECT ok(NOT has_table_privilege('chapterhouse_anon', 'ch_post_page',
    'SELECT') AND NOT has_table_privilege('public', 'ch_post_page',
    'SELECT'), 'the anonymous role and PUBLIC may not read it');

-- -- who reads which post's page --------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT is(pg_temp.pages_of((SELECT ann FROM ids), ''), 'AB',
    'the owner of A and B reads both, B suspended included');
SELECT is(pg_temp.pages_of((SELECT eve FROM ids), ''), 'A',
    'an editor of A reads A only');
SELECT is(pg_temp.pages_of((SELECT gwen FROM ids), ''), 'A',
    'a current guest of A reads A');
SELECT is(pg_temp.pages_of((SELECT gus FROM ids), ''), '-',
    'an expired guest reads nothing');
SELECT is(pg_temp.pages_of((SELECT rex FROM ids), ''), '-',
    'a removed member reads nothing');
SELECT is(pg_temp.pages_of((SELECT bob FROM ids), ''), 'C',
    'a member of another unit reads only their own');
SELECT is(pg_temp.pages_of((SELECT stan FROM ids), ''), '-',
    'a stranger reads nothing');
SELECT is(pg_temp.pages_of(NULL, ''), '-', 'nobody acting reads nothing');
SELECT is(pg_temp.pages_of((SELECT hal FROM ids), 'admin'), 'ABC',
    'a hub admin reads every unit''s');
SELECT is(pg_temp.pages_of((SELECT cora FROM ids), 'communicator'), 'ABC',
    'a hub communicator reads every unit''s');
SELECT is(pg_temp.pages_of((SELECT hugo FROM ids), 'hr'), '-',
    'hub HR reads no post');
SELECT is(pg_temp.pages_of((SELECT bob FROM ids), 'hr,reader'), 'C',
    'a hub role that reviews nothing adds nothing');
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_post_page
    WHERE id = (SELECT pa FROM ids)), 0,
    'a post of another unit asked by its id is not found');

-- -- of a post, what its tables' policies show ------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.parts(), 'A 4/4 1/1 1/1 1/1, B 1/1 1/1 0/0 0/0',
    'the owner: A''s and B''s suggestions, comments, co-authors and '
    'review requests, as the tables show them');
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT is(pg_temp.parts(), 'A 4/4 1/1 1/1 0/1',
    'an editor: the same of A (not asked: they are not asked of themselves)');
SELECT pg_temp.act((SELECT hal FROM ids), 'admin');
SELECT is(pg_temp.parts(),
    'A 4/4 1/1 1/1 1/1, B 1/1 1/1 0/0 0/0, C 1/1 1/1 0/0 0/0',
    'a hub admin: the same of every unit');
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is((SELECT string_agg(coalesce(x->>15, '-'), ' ' ORDER BY x->>14)
    FROM ch_post_page v, json_array_elements(v.suggestions::json) x
    WHERE v.id = (SELECT pa FROM ids) AND x->>13 = 'guidelines'),
    'https://hub.example.org/h https://hub.example.org/a -',
    'a rule''s link: a hub rule''s and the unit''s own, not another '
    'unit''s');
SELECT is((SELECT x->>4 FROM ch_post_page v,
    json_array_elements(v.suggestions::json) x
    WHERE v.id = (SELECT pa FROM ids) AND x->>13 = 'reviewer'), 'cat',
    'a suggestion carries the text of its span');
SELECT is((SELECT x->>'quote' FROM ch_post_page v,
    json_array_elements(v.comments::json) x
    WHERE v.id = (SELECT pa FROM ids)), 'sat',
    'a comment carries the text of its span');
SELECT is((SELECT format('%s %s %s %s', writer, can_write, can_suggest,
    can_comment) FROM ch_post_page WHERE id = (SELECT pb FROM ids)),
    't f f f',
    'the author of a suspended unit''s post may do nothing with it');
SELECT pg_temp.act((SELECT gwen FROM ids), '');
SELECT is((SELECT format('%s %s %s %s', writer, can_write, can_suggest,
    can_comment) FROM ch_post_page WHERE id = (SELECT pa FROM ids)),
    'f f f t', 'a guest may comment only');

-- -- a security barrier -----------------------------------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT count(*)::int FROM ch_post_page WHERE pg_temp.leak(body)),
    1, 'bob''s own function over the view passes one page');
SELECT is((SELECT string_agg(body, ',') FROM pg_temp.seen),
    'The cat sat on the mat in C.',
    'and was shown no body of another unit''s post');

-- -- no definer call --------------------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids), '');
SELECT is(pg_temp.definer_calls_of('SELECT count(*) FROM ch_post_page '
    'WHERE id = ' || (SELECT pa FROM ids)), 0::bigint,
    'the author''s page: no definer call');
SELECT pg_temp.act((SELECT eve FROM ids), '');
SELECT is(pg_temp.definer_calls_of('SELECT author_badges FROM ch_post_page '
    'WHERE id = ' || (SELECT pa FROM ids)), 2::bigint,
    'a reviewer''s page: the author''s badges (ch_training_badges() and '
    'its own check), as before');

-- -- what the web role cannot do to widen it ------------------------------
SELECT pg_temp.act((SELECT bob FROM ids), '');
SELECT is((SELECT count(*)::int FROM (SELECT set_config(n, (SELECT
    format('{%s,%s}', a, b) FROM ids), true) FROM unnest(ARRAY[
    'chapterhouse.units', 'chapterhouse.unit_ids', 'chapterhouse.post_units',
    'chapterhouse.post_reach', 'chapterhouse.reach',
    'chapterhouse.memberships']) n) x), 6, 'six settings name A and B');
SELECT is(pg_temp.pages(), 'C',
    'settings naming A and B let bob read no page of theirs');
SELECT throws_ok($$DELETE FROM ch_post_page$$, '55000', NULL,
    'the web role cannot write the view (it is not updatable)');
SELECT throws_ok($$CREATE OR REPLACE VIEW ch_post_page AS
    SELECT id FROM posts$$, '42501', NULL, 'nor replace it');
SELECT throws_ok($$ALTER VIEW ch_post_page RESET (security_barrier)$$,
    '42501', NULL, 'nor alter it');
RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$SELECT id FROM ch_post_page$$, '42501', NULL,
    'the anonymous role is refused the view');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
