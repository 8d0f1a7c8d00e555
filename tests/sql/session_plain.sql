-- session_plain.sql: pgTAP proof of sql/044_session_plain.sql.  The view
-- of the session lookup answers only for the hash named in
-- chapterhouse.session, to the anonymous and the web role alike; no
-- other setting widens it; neither role reads the sessions, the people
-- or the marks behind it, nor writes the marks; the marks the triggers
-- keep give what ch_session_load() counted.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(37);

INSERT INTO people (email, name, password_hash) VALUES
    ('sp-ann@t', 'Ann', '!'), ('sp-bob@t', 'Bob', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'sp-ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'sp-bob@t') AS bob;
GRANT SELECT ON ids TO chapterhouse_anon, chapterhouse_web;
INSERT INTO sessions (token_hash, person_id)
    SELECT sha256('ann-token'), ann FROM ids
    UNION ALL SELECT sha256('bob-token'), bob FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'sp-u', 'U', 'chapter', 'p', 'a', 'approved', ann FROM ids;

-- What ch_session_load() says of a hash, and what the view says with the
-- hash named; both as the role the lookup runs as.
CREATE FUNCTION pg_temp.old(t text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws('|', id, roles, rules_version, rules_ok,
	    unread), ' ') FROM ch_session_load(sha256(convert_to(t, 'UTF8')),
	    3600, 3600)
$$;
CREATE FUNCTION pg_temp.new(t text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(concat_ws('|', id, roles, rules_version, rules_ok,
	    unread), ' ') FROM ch_session_mine
$$;
CREATE FUNCTION pg_temp.name(t text) RETURNS void LANGUAGE sql AS $$
	SELECT set_config('chapterhouse.session',
	    '\x' || encode(sha256(convert_to(t, 'UTF8')), 'hex'), true)
$$;
CREATE FUNCTION pg_temp.same(t text) RETURNS boolean LANGUAGE sql AS $$
	SELECT pg_temp.name(t);
	SELECT pg_temp.old(t) IS NOT DISTINCT FROM pg_temp.new(t)
$$;

-- -- the view and the table ---------------------------------------------
SELECT ok((SELECT relowner NOT IN ('chapterhouse_web'::regrole,
    'chapterhouse_anon'::regrole) FROM pg_class
    WHERE oid = 'ch_session_mine'::regclass),
    'the view is not the web''s nor the anonymous role''s');
SELECT ok((SELECT 'security_barrier=true' = ANY (reloptions) FROM pg_class
    WHERE oid = 'ch_session_mine'::regclass), 'it is a security barrier');
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class
    WHERE oid = 'person_marks'::regclass),
    'person_marks: row-level security on and forced');
SELECT is((SELECT string_agg(policyname, ' ') FROM pg_policies
    WHERE tablename = 'person_marks'), 'person_marks_definer',
    'one policy, the schema owner''s');
SELECT ok(NOT has_table_privilege(r, 'person_marks',
    'SELECT, INSERT, UPDATE, DELETE'), r || ': no privilege on the marks')
    FROM unnest(ARRAY['chapterhouse_web', 'chapterhouse_anon',
    'chapterhouse_worker', 'chapterhouse_cli']) r;
SELECT ok(NOT has_table_privilege('chapterhouse_worker', 'ch_session_mine',
    'SELECT') AND NOT has_table_privilege('chapterhouse_cli',
    'ch_session_mine', 'SELECT') AND NOT has_table_privilege('public',
    'ch_session_mine', 'SELECT'),
    'the job worker, the command line and PUBLIC may not read the view');

-- -- the anonymous role: only the hash it names -------------------------
SET LOCAL ROLE chapterhouse_anon;
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'anonymous, nothing named: no session');
SELECT set_config('chapterhouse.session', '', true);
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'an empty name: no session');
SELECT set_config('chapterhouse.session', '%', true);
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'a pattern is not a pattern: no session');
SELECT pg_temp.name('made-up');
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'the hash of a token nobody holds: no session');
SELECT set_config('chapterhouse.session', encode(sha256('ann-token'),
    'hex'), true);
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'the hash as bare hex text is another value: no session');
SELECT pg_temp.name('ann-token');
SELECT is((SELECT string_agg(name, ' ') FROM ch_session_mine), 'Ann',
    'the hash of Ann''s token: Ann''s session, and only hers');
SELECT is((SELECT count(*)::int FROM ch_session_mine
    WHERE id = (SELECT bob FROM ids)), 0,
    'asking the view for Bob with Ann''s hash: nothing');
SELECT pg_temp.name('made-up');
SELECT set_config('chapterhouse.person', (SELECT bob::text FROM ids), true);
SELECT set_config('chapterhouse.hub_roles', 'admin,communicator,hr', true);
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'naming Bob as the acting person and every hub role: still nothing');
SELECT throws_ok($$SELECT person_id FROM sessions$$, '42501', NULL,
    'anonymous: the sessions are not readable');
SELECT throws_ok($$SELECT email FROM people$$, '42501', NULL,
    'nor the people');
SELECT throws_ok($$SELECT unread FROM person_marks$$, '42501', NULL,
    'nor the marks');
SELECT throws_ok($$UPDATE person_marks SET hub_roles = 'admin'$$,
    '42501', NULL, 'nor may it write them');
RESET ROLE;

-- -- the web role: the same through the view, and no marks --------------
SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.session', '', true);
SELECT set_config('chapterhouse.person', (SELECT ann::text FROM ids), true);
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'web, acting as Ann, nothing named: no session through the view');
SELECT pg_temp.name('bob-token');
SELECT is((SELECT string_agg(name, ' ') FROM ch_session_mine), 'Bob',
    'web: the hash named gives that session only');
SELECT throws_ok($$SELECT unread FROM person_marks$$, '42501', NULL,
    'web: the marks are not readable');
SELECT throws_ok($$INSERT INTO person_marks (person_id, hub_roles)
    SELECT ann, 'admin' FROM ids$$, '42501', NULL,
    'web: no hub role written into the marks by hand');
RESET ROLE;

-- -- a revoked session ---------------------------------------------------
DELETE FROM sessions WHERE token_hash = sha256('bob-token');
SET LOCAL ROLE chapterhouse_anon;
SELECT pg_temp.name('bob-token');
SELECT is((SELECT count(*)::int FROM ch_session_mine), 0,
    'a session ended: nobody');
RESET ROLE;

-- -- the marks: what ch_session_load() counted ---------------------------
SET LOCAL ROLE chapterhouse_anon;
SELECT ok(pg_temp.same('ann-token'), 'nothing yet: the same answer');
RESET ROLE;
INSERT INTO hub_roles (person_id, role) SELECT ann, 'hr' FROM ids
    UNION ALL SELECT ann, 'admin' FROM ids;
INSERT INTO use_rules (version, body) VALUES (1, 'be kind');
INSERT INTO inbox_items (unit_id, person_id, kind, ref_id)
    SELECT u.id, ids.ann, 'unit_decision', g FROM units u, ids,
    generate_series(1, 3) g WHERE u.slug = 'sp-u'
    UNION ALL SELECT u.id, ids.bob, 'unit_decision', 9 FROM units u, ids
    WHERE u.slug = 'sp-u';
SET LOCAL ROLE chapterhouse_anon;
SELECT pg_temp.name('ann-token');
SELECT is(pg_temp.new('ann-token'),
    (SELECT ann || '|admin,hr|1|f|3' FROM ids),
    'two hub roles, rules not accepted, three unread');
SELECT ok(pg_temp.same('ann-token'), 'as ch_session_load() says');
RESET ROLE;
INSERT INTO use_rule_acceptances (person_id, version) SELECT ann, 1 FROM ids;
UPDATE inbox_items SET read_at = now()
    WHERE person_id = (SELECT ann FROM ids) AND ref_id = 1;
DELETE FROM hub_roles WHERE person_id = (SELECT ann FROM ids)
    AND role = 'hr';
SET LOCAL ROLE chapterhouse_anon;
SELECT is(pg_temp.new('ann-token'),
    (SELECT ann || '|admin|1|t|2' FROM ids),
    'a role removed, the rules accepted, one item read');
SELECT ok(pg_temp.same('ann-token'), 'as ch_session_load() says');
RESET ROLE;
INSERT INTO use_rules (version, body) VALUES (2, 'be kinder');
UPDATE inbox_items SET read_at = NULL
    WHERE person_id = (SELECT ann FROM ids) AND ref_id = 1;
DELETE FROM inbox_items WHERE person_id = (SELECT ann FROM ids)
    AND ref_id = 2;
SET LOCAL ROLE chapterhouse_anon;
SELECT is(pg_temp.new('ann-token'),
    (SELECT ann || '|admin|2|f|2' FROM ids),
    'new rules to accept; an item unread again, another gone');
SELECT ok(pg_temp.same('ann-token'), 'as ch_session_load() says');
RESET ROLE;
SELECT is((SELECT unread FROM person_marks WHERE person_id =
    (SELECT bob FROM ids)), 1::bigint, 'Bob''s item counted for Bob');

-- The web role marks its own items read as before (inbox_items_mark);
-- the trigger counts that too, though the web cannot touch the marks.
SET LOCAL ROLE chapterhouse_web;
SELECT set_config('chapterhouse.person', (SELECT ann::text FROM ids), true);
UPDATE inbox_items SET read_at = now() WHERE read_at IS NULL;
RESET ROLE;
SELECT is((SELECT unread FROM person_marks WHERE person_id =
    (SELECT ann FROM ids)), 0::bigint,
    'Ann marked her inbox read: none unread');
SELECT is((SELECT unread FROM person_marks WHERE person_id =
    (SELECT bob FROM ids)), 1::bigint, 'Bob''s still unread');

-- A person deleted takes their marks along.
DELETE FROM inbox_items WHERE person_id = (SELECT bob FROM ids);
DELETE FROM people WHERE email = 'sp-bob@t';
SELECT is((SELECT count(*)::int FROM person_marks pm WHERE NOT EXISTS
    (SELECT FROM people p WHERE p.id = pm.person_id)), 0,
    'no marks of a person gone');

SELECT * FROM finish();
ROLLBACK;
