-- review_pages.sql: pgTAP proof of sql/019_review_pages.sql.  The unread
-- count read with a session is that session's person's only; nobody but
-- the web role may call it; a decision on a unit is put in the inbox of
-- its requester and owners, never of the person deciding.  Run like
-- posts.sql (as the superuser, rolled back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(7);

INSERT INTO people (email, name, password_hash) VALUES
    ('own@t', 'Own', '!'), ('eve@t', 'Eve', '!'), ('adm@t', 'Adm', '!');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'own@t') AS own,
    (SELECT id FROM people WHERE email = 'eve@t') AS eve,
    (SELECT id FROM people WHERE email = 'adm@t') AS adm;
INSERT INTO units (slug, name, kind, purpose, audience, state, requested_by)
    SELECT 'unit-a', 'A', 'chapter', 'p', 'a', 'approved', own FROM ids;
ALTER TABLE ids ADD COLUMN a bigint;
UPDATE ids SET a = (SELECT id FROM units WHERE slug = 'unit-a');
INSERT INTO unit_members (unit_id, person_id, role)
    SELECT a, own, 'owner' FROM ids UNION ALL SELECT a, eve, 'editor' FROM ids;
INSERT INTO sessions (token_hash, person_id)
    SELECT sha256('own'), own FROM ids UNION ALL
    SELECT sha256('eve'), eve FROM ids;
INSERT INTO inbox_items (unit_id, person_id, kind)
    SELECT a, own, 'comment' FROM ids UNION ALL
    SELECT a, own, 'comment' FROM ids UNION ALL
    SELECT a, eve, 'comment' FROM ids;
UPDATE inbox_items SET read_at = now() WHERE id = (SELECT min(id)
    FROM inbox_items);
GRANT SELECT ON ids TO chapterhouse_web;

SET LOCAL ROLE chapterhouse_web;
SELECT is(ch_session_unread(sha256('own')), 1::bigint,
    'the count is the unread items of the session''s person');
SELECT is(ch_session_unread(sha256('eve')), 1::bigint,
    'another session counts its own person''s');
SELECT is(ch_session_unread(sha256('nobody')), 0::bigint,
    'a digest that is no session counts nothing');
SELECT is((SELECT count(*) FROM inbox_items), 0::bigint,
    'while the web role, acting for nobody, reads no inbox item itself');
RESET ROLE;
SELECT is(has_function_privilege('chapterhouse_worker',
    'ch_session_unread(bytea)', 'EXECUTE'), false,
    'no other role may call it');

-- A decision on the unit, by an admin.
DELETE FROM inbox_items;
INSERT INTO unit_decisions (unit_id, decision, decided_by, snapshot)
    SELECT a, 'suspend', adm, '{}' FROM ids;
SELECT is((SELECT array_agg(p.email ORDER BY p.email) FROM inbox_items i
    JOIN people p ON p.id = i.person_id WHERE i.kind = 'unit_decision'),
    ARRAY['own@t'], 'a decision is put in the inbox of the requester and '
    'owners only');
INSERT INTO unit_decisions (unit_id, decision, decided_by, snapshot)
    SELECT a, 'reinstate', own, '{}' FROM ids;
SELECT is((SELECT count(*) FROM inbox_items), 1::bigint,
    'never in the inbox of the person deciding');

SELECT * FROM finish();
ROLLBACK;
