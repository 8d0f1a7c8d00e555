-- link_checks.sql: pgTAP proof of sql/029_link_checks.sql.  Only a save
-- queues a link check (ch_guide_links_queue(), for the author of the
-- latest revision, when a links rule applies); only the worker records
-- results (ch_guide_links_record()), and it reads no post, rule or unit;
-- a dead link becomes a suggestion while its revision is the latest and
-- its text unchanged, never again once declined; the results are read
-- by the unit's members only.  Run like posts.sql (as the superuser,
-- rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(30);

-- Unit A: own owns it, ann writes post P, eve edits.  Unit B: bob owns
-- it.  adm is a hub admin; hub rule H is the links rule.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('eve@t', 'Eve', '!'), ('own@t', 'Own', '!'),
    ('bob@t', 'Bob', '!'), ('adm@t', 'Adm', '!');
INSERT INTO hub_roles (person_id, role)
    SELECT id, 'admin' FROM people WHERE email = 'adm@t';
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids
    UNION ALL SELECT 'unit-b', 'B', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN b bigint,
    ADD COLUMN p bigint, ADD COLUMN h bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    b = (SELECT id FROM units WHERE slug = 'unit-b');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids
    UNION ALL SELECT a, ann, 'author' FROM ids
    UNION ALL SELECT a, eve, 'editor' FROM ids
    UNION ALL SELECT b, bob, 'owner' FROM ids;
INSERT INTO posts (unit_id, author_id) SELECT a, ann FROM ids;
UPDATE ids SET p = (SELECT id FROM posts WHERE unit_id = ids.a);
-- https://a.example/gone at 8-30, https://a.example/ok at 40-60.
INSERT INTO post_revisions (unit_id, post_id, author_id, title, body)
    SELECT a, p, ann, 'P', 'See [x](https://a.example/gone) and '
    '[y](https://a.example/ok).' FROM ids;
INSERT INTO guide_hub_rules (kind, fields, message, created_by, updated_by)
    SELECT 'links', '{}', 'Fix dead links.', adm, adm FROM ids;
UPDATE ids SET h = (SELECT id FROM guide_hub_rules);
GRANT SELECT ON ids TO chapterhouse_web, chapterhouse_worker;

CREATE FUNCTION pg_temp.act(who bigint, roles text DEFAULT '') RETURNS void
LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.person', who::text, true),
	       set_config('chapterhouse.hub_roles', roles, true);
$$;
CREATE FUNCTION pg_temp.links() RETURNS jsonb LANGUAGE sql AS $$
	SELECT '[{"url":"https://a.example/gone","start":8,"end":30},
	    {"url":"https://a.example/ok","start":40,"end":60}]'::jsonb
$$;
CREATE FUNCTION pg_temp.results(gone text, extra jsonb DEFAULT '[]')
RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_array(
	    jsonb_build_object('url', 'https://a.example/gone', 'start', 8,
		'end', 30, 'status', gone, 'http_status', 404, 'error',
		'404 Not Found'),
	    jsonb_build_object('url', 'https://a.example/ok', 'start', 40,
		'end', 60, 'status', 'ok', 'http_status', 200, 'error',
		NULL)) || extra
$$;
GRANT EXECUTE ON FUNCTION pg_temp.links(), pg_temp.results(text, jsonb)
    TO chapterhouse_web, chapterhouse_worker;

-- -- Who queues a check -------------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT throws_ok($$INSERT INTO jobs (kind, payload) VALUES ('links.check',
    '{}')$$, '42501', NULL,
    'the web role queues no link check with its own INSERT');
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT throws_ok($$SELECT ch_guide_links_queue(a, p, 1, pg_temp.links())
    FROM ids$$, '42501', NULL,
    'an editor queues no check of a revision she did not write');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT throws_ok($$SELECT ch_guide_links_queue(a, p, 1, pg_temp.links())
    FROM ids$$, '42501', NULL, 'nor does a member of another unit');
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(ch_guide_links_queue(a, p, 1, '[{"url":"https://a.example/x",
    "start":8,"end":30}]'), false,
    'a link that is not where the save says queues nothing') FROM ids;
SELECT is(ch_guide_links_queue(a, p, 1, pg_temp.links()), true,
    'the author''s save queues the check') FROM ids;
SELECT throws_ok($$SELECT ch_guide_links_record(a, p, 1,
    pg_temp.results('dead')) FROM ids$$, '42501', NULL,
    'the web role records no result');
SELECT throws_ok($$INSERT INTO guide_link_checks (unit_id, post_id,
    revision, span_start, span_end, url, status) SELECT a, p, 1, 8, 30,
    'https://a.example/gone', 'ok' FROM ids$$, '42501', NULL,
    'nor writes the results table');
RESET ROLE;
SELECT is((SELECT payload FROM jobs WHERE kind = 'links.check'),
    (SELECT jsonb_build_object('unit_id', a, 'post_id', p, 'revision', 1,
    'links', pg_temp.links()) FROM ids),
    'one job for the revision, with its links');

-- -- The worker ---------------------------------------------------------------
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok('SELECT body FROM post_revisions', '42501', NULL,
    'the worker reads no revision');
SELECT throws_ok('SELECT id FROM posts', '42501', NULL, 'nor a post');
SELECT throws_ok('SELECT id FROM units', '42501', NULL, 'nor a unit');
SELECT throws_ok('SELECT message FROM guide_hub_rules', '42501', NULL,
    'nor a rule');
SELECT throws_ok('SELECT url FROM guide_link_checks', '42501', NULL,
    'nor the results');
SELECT throws_ok('SELECT id FROM post_suggestions', '42501', NULL,
    'nor a suggestion');
SELECT throws_ok($$SELECT ch_guide_links_queue(a, p, 1, pg_temp.links())
    FROM ids$$, '42501', NULL, 'it queues no check');
SELECT throws_ok($$INSERT INTO jobs (kind, payload) VALUES ('links.check',
    '{}')$$, '42501', NULL, 'not even with its INSERT on jobs');
SELECT is(ch_guide_links_record(a, p, 1, pg_temp.results('dead',
    '[{"url":"https://a.example/moved","start":8,"end":30,"status":"dead"}]')),
    1, 'it records the results: the dead link is raised') FROM ids;
SELECT is(ch_guide_links_record(a, p, 1, pg_temp.results('dead')), 0,
    'recording twice raises nothing more') FROM ids;
RESET ROLE;
SELECT is((SELECT array_agg(rule_id || ':' || span_start || '-' || span_end
    || ':' || replacement || ':' || comment) FROM post_suggestions
    WHERE source = 'guidelines' AND state = 'open'),
    (SELECT ARRAY[h || ':8-30:https://a.example/gone:Fix dead links. '
    '(404 Not Found)'] FROM ids),
    'a suggestion of the links rule on the link''s span, with what failed');
SELECT is((SELECT array_agg(span_start || ':' || status ORDER BY span_start)
    FROM guide_link_checks), ARRAY['8:dead', '40:ok'],
    'every link''s result, none for a URL that is not at its span');
SELECT is((SELECT found || ':' || raised FROM guide_fires), '1:1',
    'the dead link is counted');

-- -- Who reads the results ----------------------------------------------------
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT eve FROM ids));
SELECT is((SELECT count(*)::int FROM guide_link_checks), 2,
    'the unit''s members read the results');
SELECT pg_temp.act((SELECT adm FROM ids), 'admin');
SELECT is((SELECT count(*)::int FROM guide_link_checks), 2,
    'the hub''s admins read them, as they read the posts');
SELECT pg_temp.act((SELECT bob FROM ids));
SELECT is((SELECT count(*)::int FROM guide_link_checks), 0,
    'another unit''s owner reads none');

-- -- Declined, outdated, muted ------------------------------------------------
SELECT pg_temp.act((SELECT ann FROM ids));
UPDATE post_suggestions SET state = 'declined', decided_by = (SELECT ann
    FROM ids) WHERE source = 'guidelines';
RESET ROLE;
-- Revision 2 adds https://a.example/lost at 67-89; revision 3 follows at
-- once, before revision 2's check is back.
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 1, ann, 'P', 'See [x](https://a.example/gone) and '
    '[y](https://a.example/ok). [z](https://a.example/lost)' FROM ids;
INSERT INTO post_revisions (unit_id, post_id, base, author_id, title, body)
    SELECT a, p, 2, ann, 'P', 'See [x](https://a.example/gone) and '
    '[y](https://a.example/ok). [z](https://a.example/lost)' FROM ids;
SET LOCAL ROLE chapterhouse_worker;
SELECT is(ch_guide_links_record(a, p, 2, pg_temp.results('dead',
    '[{"url":"https://a.example/lost","start":67,"end":89,"status":"dead"}]')),
    0, 'a revision no longer the latest raises nothing') FROM ids;
SELECT is(ch_guide_links_record(a, p, 3, pg_temp.results('dead',
    '[{"url":"https://a.example/lost","start":67,"end":89,"status":"dead"}]')),
    1, 'the latest raises the new dead link, not the declined one')
    FROM ids;
RESET ROLE;
SELECT is((SELECT array_agg(revision || ':' || span_start) FROM
    post_suggestions WHERE state = 'open'), ARRAY['3:67'],
    'only the new link is open, on revision 3');
SELECT is((SELECT count(*)::int FROM guide_link_checks WHERE revision = 2),
    3, 'revision 2''s results are kept all the same');
INSERT INTO guide_mutes (unit_id, rule_id, reason, muted_by)
    SELECT a, h, 'we check ourselves', own FROM ids;
SET LOCAL ROLE chapterhouse_web;
SELECT pg_temp.act((SELECT ann FROM ids));
SELECT is(ch_guide_links_queue(a, p, 3, pg_temp.links()), false,
    'a muted links rule queues nothing') FROM ids;
RESET ROLE;
SELECT is((SELECT count(*)::int FROM jobs WHERE kind = 'links.check'), 1,
    'no job was added');

SELECT * FROM finish();
