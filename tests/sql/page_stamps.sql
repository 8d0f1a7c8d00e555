-- page_stamps.sql: pgTAP proof of sql/049_page_stamps.sql.  Each kind
-- of write the signed-in unit page shows moves the stamp of its unit
-- (and of the units under it), by one per statement, and no other
-- unit's; the confederation's writes move row 0; a statement that
-- writes no row, a column the page does not show and a write rolled
-- back move nothing.  The web role reads only row 0 and the stamps of
-- the units it may read, writes none and may not call the writer; the
-- public, the job worker and the command line read none.
-- Run like rls_units.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(36);

-- ann owns A, bob owns C, del owns the region P under which R (bob's
-- request) waits; stan belongs nowhere.
INSERT INTO people (email, name, password_hash) VALUES
    ('ann@t', 'Ann', '!'), ('bob@t', 'Bob', '!'), ('del@t', 'Del', '!'),
    ('eve@t', 'Eve', '!'), ('stan@t', 'Stan', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'del@t') AS del,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'stan@t') AS stan;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'unit-c', 'C', 'chapter', 'p', 'a', 'approved', bob
    FROM ids
    UNION ALL SELECT 'unit-p', 'P', 'regional_market', 'p', 'a',
    'approved', del FROM ids;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by,
    parent_id)
    SELECT 'unit-r', 'R', 'chapter', 'p', 'a', 'requested', bob,
    (SELECT id FROM units WHERE slug = 'unit-p') FROM ids;
ALTER TABLE ids ADD COLUMN a bigint, ADD COLUMN c bigint, ADD COLUMN p bigint,
    ADD COLUMN r bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a'),
    c = (SELECT id FROM units WHERE slug = 'unit-c'),
    p = (SELECT id FROM units WHERE slug = 'unit-p'),
    r = (SELECT id FROM units WHERE slug = 'unit-r');
GRANT SELECT ON ids TO chapterhouse_web;

-- The stamps of 0, A, C, P and R, as the superuser reads them.
CREATE FUNCTION pg_temp.st() RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' ',
	    (SELECT stamp FROM page_stamps WHERE unit_id = 0),
	    (SELECT stamp FROM page_stamps, ids WHERE unit_id = a),
	    (SELECT stamp FROM page_stamps, ids WHERE unit_id = c),
	    (SELECT stamp FROM page_stamps, ids WHERE unit_id = p),
	    (SELECT stamp FROM page_stamps, ids WHERE unit_id = r))
$$;
-- Which of the five moved when q ran, and by how much: "0 1 0 0 0"
-- says A moved by one.
CREATE FUNCTION pg_temp.moved(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	b	bigint[];
	e	bigint[];
BEGIN
	b := string_to_array(pg_temp.st(), ' ')::bigint[];
	EXECUTE q;
	e := string_to_array(pg_temp.st(), ' ')::bigint[];
	RETURN (SELECT string_agg((e[i] - b[i])::text, ' ' ORDER BY i)
	    FROM generate_subscripts(b, 1) i);
END
$$;

SELECT is((SELECT count(*) FROM page_stamps, ids
    WHERE unit_id IN (a, c, p, r)), 4::bigint,
    'a unit has its row from the statement that made it');
SELECT is((SELECT count(*) FROM page_stamps WHERE unit_id = 0), 1::bigint,
    'and the confederation has row 0');

SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT a, ann, 'owner' FROM ids$$), '0 1 0 0 0',
    'a member added moves their unit''s stamp by one, no other');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT a, eve, 'author' FROM ids UNION ALL
    SELECT a, stan, 'editor' FROM ids$$), '0 1 0 0 0',
    'two members added in one statement move it by one');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = 'editor'
    WHERE person_id = (SELECT eve FROM ids)$$), '0 1 0 0 0',
    'a role changed moves it');
SELECT is(pg_temp.moved($$DELETE FROM unit_members
    WHERE person_id = (SELECT stan FROM ids)$$), '0 1 0 0 0',
    'a member removed moves it');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = role
    WHERE false$$), '0 0 0 0 0',
    'a statement that writes no row moves nothing');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT c, bob, 'owner' FROM ids$$), '0 0 1 0 0',
    'a member of C moves C''s stamp, not A''s');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = role
    WHERE person_id IN (SELECT ann FROM ids UNION SELECT bob FROM ids)$$),
    '0 1 1 0 0', 'one statement over two units moves each by one');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT p, del, 'owner' FROM ids$$), '0 0 0 1 1',
    'a member of the region moves the region and the request under it');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT r, bob, 'owner' FROM ids$$), '0 0 0 0 1',
    'a member of the request moves the request, not its region');

SELECT is(pg_temp.moved($$INSERT INTO unit_decisions (unit_id, decision,
    reason, decided_by, snapshot) SELECT a, 'approve', 'ok', del, '{}'
    FROM ids$$), '0 1 0 0 0', 'a decision moves its unit');
INSERT INTO screening_questions (prompt) VALUES ('Why?');
SELECT is(pg_temp.moved($$INSERT INTO unit_answers (unit_id, question_id,
    answer) SELECT a, q.id, 'because' FROM ids, screening_questions q
    WHERE q.prompt = 'Why?'$$), '0 1 0 0 0', 'an answer moves its unit');
SELECT is(pg_temp.moved($$UPDATE unit_answers SET answer = 'since'
    WHERE unit_id = (SELECT a FROM ids)$$), '0 1 0 0 0',
    'an answer changed moves it');
SELECT is(pg_temp.moved($$INSERT INTO invitations (token_hash, unit_id,
    email, role, invited_by, expires_at) SELECT sha256('x'), a, 'x@t',
    'author', ann, now() + interval '1 day' FROM ids$$), '0 1 0 0 0',
    'an invitation moves its unit');
SELECT is(pg_temp.moved($$UPDATE invitations SET accepted_at = now(),
    accepted_by = (SELECT eve FROM ids)$$), '0 1 0 0 0',
    'an invitation accepted moves it');
SELECT is(pg_temp.moved($$DELETE FROM invitations$$), '0 1 0 0 0',
    'an invitation withdrawn moves it');

SELECT is(pg_temp.moved($$UPDATE units SET purpose = 'q'
    WHERE slug = 'unit-a'$$), '0 1 0 0 0',
    'the unit changed moves its stamp alone');
SELECT is(pg_temp.moved($$UPDATE units SET state = 'suspended'
    WHERE slug = 'unit-p'$$), '0 0 0 1 1',
    'the region changed moves the units under it too');

SELECT is(pg_temp.moved($$UPDATE people SET name = 'Ann B'
    WHERE email = 'ann@t'$$), '1 0 0 0 0',
    'a person renamed moves the confederation''s stamp');
SELECT is(pg_temp.moved($$UPDATE people SET email = 'ann2@t'
    WHERE email = 'ann@t'$$), '1 0 0 0 0', 'so does a new address');
SELECT is(pg_temp.moved($$UPDATE people SET password_hash = '!!'
    WHERE email = 'ann2@t'$$), '0 0 0 0 0',
    'a new password, which no page shows, moves nothing');
SELECT is(pg_temp.moved($$INSERT INTO screening_questions (prompt)
    VALUES ('How?')$$), '1 0 0 0 0', 'a new question moves row 0');
SELECT is(pg_temp.moved($$UPDATE approval_policy SET delegate = true$$),
    '1 0 0 0 0', 'the approval policy moves row 0');
SELECT is(pg_temp.moved($$UPDATE reason_codes SET active = false
    WHERE code = 'out_of_scope'$$), '1 0 0 0 0',
    'a reason code moves row 0');
SELECT is(pg_temp.moved($$INSERT INTO hub_roles (person_id, role)
    SELECT del, 'admin' FROM ids$$), '1 0 0 0 0',
    'a hub role moves row 0');

SAVEPOINT undone;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, stan, 'author' FROM ids;
ROLLBACK TO SAVEPOINT undone;
SELECT is(pg_temp.moved($$SELECT 1$$), '0 0 0 0 0', 'reading moves nothing');
SELECT is((SELECT stamp FROM page_stamps, ids WHERE unit_id = a), 13::bigint,
    'a write rolled back leaves no trace: A moved twelve times from 1');

-- What the web role reads: the statement of the unit page's stamp.
CREATE FUNCTION pg_temp.stamp_as(who bigint, slug text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	s	text;
BEGIN
	PERFORM set_config('chapterhouse.person', coalesce(who::text, ''),
	    true), set_config('chapterhouse.hub_roles', '', true);
	SET LOCAL ROLE chapterhouse_web;
	SELECT g.stamp || '.' || z.stamp INTO s FROM units u
	    JOIN page_stamps g ON g.unit_id = u.id
	    JOIN page_stamps z ON z.unit_id = 0 WHERE u.slug = stamp_as.slug;
	RESET ROLE;
	RETURN coalesce(s, 'none');
END
$$;
SELECT is(pg_temp.stamp_as((SELECT bob FROM ids), 'unit-r'),
    (SELECT r.stamp || '.' || z.stamp FROM page_stamps r, page_stamps z, ids
    WHERE r.unit_id = ids.r AND z.unit_id = 0),
    'the requester reads the stamp of their request');
SELECT is(pg_temp.stamp_as((SELECT stan FROM ids), 'unit-r'), 'none',
    'a stranger reads no stamp of a request that is not theirs');
SELECT is(pg_temp.stamp_as(NULL, 'unit-r'), 'none',
    'nor does nobody acting');
SET LOCAL ROLE chapterhouse_web;
SELECT throws_ok($$UPDATE page_stamps SET stamp = 1$$, '42501', NULL,
    'the web role writes no stamp');
SELECT throws_ok($$SELECT ch_page_touch('{0}')$$, '42501', NULL,
    'and may not call the writer');
RESET ROLE;
SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$SELECT stamp FROM page_stamps$$, '42501', NULL,
    'the public reads no stamp');
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$SELECT stamp FROM page_stamps$$, '42501', NULL,
    'nor does the job worker');
RESET ROLE;
SET LOCAL ROLE chapterhouse_cli;
SELECT throws_ok($$SELECT stamp FROM page_stamps$$, '42501', NULL,
    'nor the command line');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
