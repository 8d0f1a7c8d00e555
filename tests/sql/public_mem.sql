-- public_mem.sql: pgTAP proof of sql/041_public_mem.sql.  The advisories
-- are current by the one clock (ch_clock(): chapterhouse.clock when it
-- is set): the public reads a public advisory from the start of its
-- first day by that clock to the end of its last, and never one that is
-- not public, nor writes one; the validator's edge moves with the clock;
-- the confederation's row of public_changes is told, with the empty
-- payload.  Run like advisories.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL timezone = 'UTC';
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(9);

INSERT INTO people (email, name, password_hash) VALUES ('com@t', 'Com', '!');
-- Public on 2031-01-02 alone, and one that is never public.
INSERT INTO hub_advisories (title, body, public, starts_on, ends_on,
    created_by, updated_by)
    SELECT v.t, 'text', v.p, '2031-01-02', '2031-01-02', p.id, p.id
    FROM people p, (VALUES ('day', true), ('members', false)) v (t, p)
    WHERE p.email = 'com@t';

CREATE FUNCTION pg_temp.anon_titles() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t	text;
BEGIN
	SET LOCAL ROLE chapterhouse_anon;
	SELECT coalesce(string_agg(title, ',' ORDER BY title), '') INTO t
	    FROM hub_advisories;
	RESET ROLE;
	RETURN t;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.anon_titles() TO chapterhouse_anon;

SELECT set_config('chapterhouse.clock', '2031-01-01T23:59:59Z', true);
SELECT is(pg_temp.anon_titles(), '', 'the evening before its day, the '
    'public reads no advisory');
SELECT is(ch_advisories_edge(), NULL, 'and no edge has passed');
SELECT set_config('chapterhouse.clock', '2031-01-02T00:00:00Z', true);
SELECT is(pg_temp.anon_titles(), 'day', 'at midnight by the clock the '
    'public advisory is read, the other is not');
SELECT is(ch_advisories_edge(), '2031-01-02T00:00:00Z'::timestamptz,
    'and the edge is that midnight');
SELECT set_config('chapterhouse.clock', '2031-01-03T00:00:00Z', true);
SELECT is(pg_temp.anon_titles(), '', 'at the end of its last day it is '
    'read no more');
SELECT is(ch_advisories_edge(), '2031-01-03T00:00:00Z'::timestamptz,
    'and the edge is the end of that day');
SELECT set_config('chapterhouse.clock', '', true);

SET LOCAL ROLE chapterhouse_anon;
SELECT throws_ok($$UPDATE hub_advisories SET public = true$$, '42501', NULL,
    'the public writes no advisory');
RESET ROLE;
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$SELECT ch_advisories_edge()$$, '42501', NULL,
    'the job worker may not call the edge');
RESET ROLE;

SELECT ok(pg_get_functiondef('public_changes_notify()'::regprocedure)
    LIKE '%pg_notify(''ch_public'', '''')%', 'the confederation''s change '
    'is notified with the empty payload');

SELECT * FROM finish();
ROLLBACK;
