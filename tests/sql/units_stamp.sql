-- units_stamp.sql: pgTAP proof of sql/050_units_stamp.sql.  A person's
-- units_stamp moves, by one per statement, on every write that can change
-- the list of their units (a membership given, changed or ended; a unit
-- of theirs renamed, given a new slug or state), and on no one else's;
-- a write the list does not show, a statement that writes no row and a
-- write rolled back move nothing.  The session lookup's view shows the
-- stamp of the session's own person only; nobody but the schema owner
-- may call the writer.  Run like rls_units.sql (as the superuser, rolled
-- back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(16);

INSERT INTO people (email, name, password_hash) VALUES
    ('us-ann@t', 'Ann', '!'), ('us-eve@t', 'Eve', '!'),
    ('us-bob@t', 'Bob', '!'), ('us-gus@t', 'Gus', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'us-ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'us-eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'us-bob@t') AS bob,
    (SELECT id FROM people WHERE email = 'us-gus@t') AS gus;
GRANT SELECT ON ids TO chapterhouse_anon, chapterhouse_web;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'us-a', 'A', 'chapter', 'p', 'a', 'approved', ann FROM ids
    UNION ALL SELECT 'us-c', 'C', 'chapter', 'p', 'a', 'approved', bob
    FROM ids;
INSERT INTO sessions (token_hash, person_id)
    SELECT sha256('us-ann-token'), ann FROM ids;

-- The stamps of ann, eve, bob and gus.
CREATE FUNCTION pg_temp.st() RETURNS bigint[] LANGUAGE sql AS $$
	SELECT ARRAY[(SELECT coalesce(max(units_stamp), 0) FROM person_marks
	    WHERE person_id = ann), (SELECT coalesce(max(units_stamp), 0)
	    FROM person_marks WHERE person_id = eve),
	    (SELECT coalesce(max(units_stamp), 0) FROM person_marks
	    WHERE person_id = bob), (SELECT coalesce(max(units_stamp), 0)
	    FROM person_marks WHERE person_id = gus)] FROM ids
$$;
-- How much each moved when q ran: "1 0 0 0" says ann's moved by one.
CREATE FUNCTION pg_temp.moved(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	b	bigint[] := pg_temp.st();
	e	bigint[];
BEGIN
	EXECUTE q;
	e := pg_temp.st();
	RETURN (SELECT string_agg((e[i] - b[i])::text, ' ' ORDER BY i)
	    FROM generate_subscripts(b, 1) i);
END
$$;

SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT u.id, ann, 'owner' FROM ids, units u
    WHERE u.slug = 'us-a'$$), '1 0 0 0',
    'a membership given moves that person''s stamp, no other');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT u.id, x.id, 'author' FROM ids, units u,
    (SELECT eve FROM ids UNION ALL SELECT gus FROM ids) x (id)
    WHERE u.slug = 'us-a'$$), '0 1 0 1',
    'two given in one statement move each person''s by one');
SELECT is(pg_temp.moved($$INSERT INTO unit_members (unit_id, person_id,
    role) SELECT u.id, bob, 'owner' FROM ids, units u
    WHERE u.slug = 'us-c'$$), '0 0 1 0', 'another unit''s member: theirs');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = 'editor'
    WHERE person_id = (SELECT eve FROM ids)$$), '0 1 0 0',
    'a role changed moves it');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = 'guest',
    expires_at = now() + interval '1 day'
    WHERE person_id = (SELECT gus FROM ids)$$), '0 0 0 1',
    'a guest''s last day set moves it');
SELECT is(pg_temp.moved($$DELETE FROM unit_members
    WHERE person_id = (SELECT gus FROM ids)$$), '0 0 0 1',
    'a membership ended moves it');
SELECT is(pg_temp.moved($$UPDATE unit_members SET role = role
    WHERE false$$), '0 0 0 0', 'a statement that writes no row moves nothing');
SELECT is(pg_temp.moved($$UPDATE units SET name = 'A2'
    WHERE slug = 'us-a'$$), '1 1 0 0',
    'a unit renamed moves the stamps of its members, not of others');
SELECT is(pg_temp.moved($$UPDATE units SET slug = 'us-a2'
    WHERE slug = 'us-a'$$), '1 1 0 0', 'so does a new slug');
SELECT is(pg_temp.moved($$UPDATE units SET state = 'suspended'
    WHERE slug = 'us-a2'$$), '1 1 0 0', 'and a new state');
SELECT is(pg_temp.moved($$UPDATE units SET purpose = 'q'
    WHERE slug = 'us-a2'$$), '0 0 0 0',
    'a change the list does not show moves nothing');

SAVEPOINT undone;
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT u.id, bob, 'author' FROM ids, units u WHERE u.slug = 'us-a2';
ROLLBACK TO SAVEPOINT undone;
SELECT is(pg_temp.st(), ARRAY[4, 5, 1, 3]::bigint[],
    'a write rolled back leaves no trace');

SELECT lives_ok($$DELETE FROM people WHERE email = 'us-gus@t'$$,
    'a person with a stamp can still be deleted');

-- The lookup's view: the stamp of the session's person, nobody else's.
SELECT set_config('chapterhouse.session',
    '\x' || encode(sha256('us-ann-token'), 'hex'), true);
SET LOCAL ROLE chapterhouse_anon;
SELECT is((SELECT string_agg(id || ':' || units_stamp, ' ')
    FROM ch_session_mine), (SELECT ann || ':4' FROM ids),
    'the session lookup reads its person''s stamp, and only theirs');
RESET ROLE;
SET LOCAL ROLE chapterhouse_web;
SELECT throws_ok($$SELECT ch_marks_units_touch('{1}')$$, '42501', NULL,
    'the web role may not call the writer');
SELECT throws_ok($$SELECT units_stamp FROM person_marks$$, '42501', NULL,
    'nor read the stamps');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
