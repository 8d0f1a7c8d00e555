-- rls_roles.sql: pgTAP proof of least privilege per process
-- (sql/011_process_roles.sql): the web role (chapterhouse_web) cannot
-- grant or remove hub roles, delete people, read mail jobs' payloads or
-- claim reminder digests; the job worker's role (chapterhouse_worker) can
-- do its work and nothing more; the command line's (chapterhouse_cli)
-- grants hub roles.  Run like rls_units.sql (as the superuser, rolled
-- back).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(47);

-- ann is confirmed; old never confirmed her address and her link expired
-- long ago.  Each table the worker sweeps holds one expired row of
-- old's, and a mail job waits in the queue.
INSERT INTO people (email, name, password_hash, confirmed_at) VALUES
    ('ann@t', 'Ann', '!', now());
INSERT INTO people (email, name, password_hash, created_at) VALUES
    ('old@t', 'Old', '!', now() - interval '30 days');
CREATE TEMP TABLE ids ON COMMIT DROP AS SELECT
    (SELECT id FROM people WHERE email = 'ann@t') AS ann,
    (SELECT id FROM people WHERE email = 'old@t') AS old;
INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at)
    SELECT sha256('s'), old, now() - interval '30 days',
    now() - interval '30 days' FROM ids;
INSERT INTO email_tokens (token_hash, person_id, purpose, created_at,
    expires_at) SELECT sha256('t'), old, 'confirm',
    now() - interval '30 days', now() - interval '29 days' FROM ids;
INSERT INTO login_failures (email, address, at)
    VALUES ('old@t', '192.0.2.1', now() - interval '30 days');
INSERT INTO mail_cooldowns (recipient, kind, sent_at)
    VALUES ('old@t', 'account_exists', now() - interval '30 days');
INSERT INTO jobs (kind, payload, state, done_at) VALUES
    ('mail', '{"to": "x@t", "subject": "s"}', 'done',
    now() - interval '60 days');
INSERT INTO jobs (kind, payload) VALUES
    ('mail', '{"to": "ann@t", "subject": "s", "body": "link ?token=secret"}');
GRANT SELECT ON ids TO chapterhouse_web, chapterhouse_worker,
    chapterhouse_cli;

-- -- The roles themselves ---------------------------------------------------
SELECT is((SELECT count(*)::int FROM pg_roles WHERE rolname IN
    ('chapterhouse_web', 'chapterhouse_worker', 'chapterhouse_cli')
    AND NOT rolsuper AND NOT rolbypassrls AND NOT rolcanlogin), 3,
    'web, worker and cli are group roles, no superuser, no BYPASSRLS');
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON
    r.oid = c.relowner WHERE r.rolname IN ('chapterhouse_web',
    'chapterhouse_worker', 'chapterhouse_cli')), 0,
    'none of them owns a relation');
SELECT is((SELECT count(*)::int FROM pg_auth_members WHERE roleid IN
    ('chapterhouse_web'::regrole, 'chapterhouse_worker'::regrole,
    'chapterhouse_cli'::regrole) AND member IN ('chapterhouse_web'::regrole,
    'chapterhouse_worker'::regrole, 'chapterhouse_cli'::regrole)), 0,
    'none of them is a member of another');

-- -- The web role -----------------------------------------------------------
SELECT ok(NOT has_table_privilege('chapterhouse_web', 'hub_roles', 'INSERT')
    AND NOT has_table_privilege('chapterhouse_web', 'hub_roles', 'DELETE')
    AND has_table_privilege('chapterhouse_web', 'hub_roles', 'SELECT'),
    'web reads hub roles and neither grants nor removes them');
SELECT ok(NOT has_table_privilege('chapterhouse_web', 'people', 'DELETE'),
    'web may not delete people');
SELECT ok(NOT has_column_privilege('chapterhouse_web', 'jobs', 'payload',
    'SELECT') AND NOT has_table_privilege('chapterhouse_web', 'jobs',
    'SELECT, UPDATE, DELETE'),
    'web may not read, change or remove jobs');
SELECT ok(has_column_privilege('chapterhouse_web', 'jobs', 'kind', 'INSERT')
    AND has_column_privilege('chapterhouse_web', 'jobs', 'payload',
    'INSERT'), 'web may queue a job');
SELECT ok(NOT has_function_privilege('chapterhouse_web',
    'ch_claim_reminders(interval)', 'EXECUTE'),
    'web may not claim reminder digests');

SET LOCAL ROLE chapterhouse_web;
SELECT throws_ok($$INSERT INTO hub_roles (person_id, role)
    SELECT ann, 'admin' FROM ids$$, '42501', NULL,
    'web: granting a hub role is denied');
SELECT throws_ok($$DELETE FROM hub_roles$$, '42501', NULL,
    'web: removing hub roles is denied');
SELECT throws_ok($$DELETE FROM people WHERE id = (SELECT old FROM ids)$$,
    '42501', NULL, 'web: deleting a person is denied');
SELECT throws_ok($$SELECT payload FROM jobs$$, '42501', NULL,
    'web: reading mail payloads is denied');
SELECT throws_ok($$SELECT count(*) FROM jobs$$, '42501', NULL,
    'web: reading the queue at all is denied');
SELECT throws_ok($$UPDATE jobs SET state = 'done'$$, '42501', NULL,
    'web: settling a job is denied');
SELECT throws_ok($$SELECT * FROM ch_claim_reminders(interval '1 hour')$$,
    '42501', NULL, 'web: claiming reminder digests is denied');
SELECT throws_ok($$DELETE FROM email_tokens$$, '42501', NULL,
    'web: deleting e-mail tokens is denied');
SELECT lives_ok($$INSERT INTO jobs (kind, payload)
    VALUES ('mail', '{"to": "web@t"}')$$, 'web: queueing mail still works');
RESET ROLE;

-- -- The job worker's role: what it does ------------------------------------
SET LOCAL ROLE chapterhouse_worker;
SELECT is((SELECT count(*)::int FROM jobs WHERE state = 'queued'), 2,
    'worker: reads the queue');
SELECT lives_ok($$UPDATE jobs SET state = 'running',
    attempts = attempts + 1, lease_until = now() + interval '5 minutes',
    locked_by = 'test' WHERE id = (SELECT id FROM jobs WHERE
    state = 'queued' ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING id, kind, payload::text$$, 'worker: claims a job');
SELECT is((SELECT payload->>'body' FROM jobs WHERE state = 'running'),
    'link ?token=secret', 'worker: reads the claimed job''s payload');
SELECT lives_ok($$UPDATE jobs SET state = 'done', done_at = now(),
    lease_until = NULL, payload = payload - 'body'
    WHERE state = 'running' AND locked_by = 'test'$$,
    'worker: settles it');
SELECT lives_ok($$INSERT INTO jobs (kind, payload)
    VALUES ('mail', '{"to": "digest@t"}')$$, 'worker: queues mail');
SELECT lives_ok($$SELECT * FROM ch_claim_reminders(interval '1 hour')$$,
    'worker: claims reminder digests');
SELECT lives_ok($$DELETE FROM sessions
    WHERE last_seen_at < now() - interval '1 day'
    OR created_at < now() - interval '1 day'$$,
    'worker: sweeps expired sessions');
SELECT lives_ok($$DELETE FROM email_tokens
    WHERE expires_at < now() - interval '1 day'$$,
    'worker: sweeps expired e-mail tokens');
SELECT lives_ok($$DELETE FROM login_failures
    WHERE at < now() - interval '1 day'$$,
    'worker: sweeps old failed logins');
SELECT lives_ok($$DELETE FROM mail_cooldowns
    WHERE sent_at < now() - interval '1 day'$$,
    'worker: forgets old mail cooldowns');
SELECT lives_ok($$DELETE FROM jobs
    WHERE state = 'done' AND done_at < now() - interval '30 days'$$,
    'worker: sweeps old done jobs');
SELECT lives_ok($$DELETE FROM people WHERE confirmed_at IS NULL
    AND created_at < now() - interval '7 days'$$,
    'worker: removes accounts never confirmed');
RESET ROLE;
SELECT is((SELECT (SELECT count(*) FROM sessions) +
    (SELECT count(*) FROM email_tokens) +
    (SELECT count(*) FROM login_failures) +
    (SELECT count(*) FROM mail_cooldowns) +
    (SELECT count(*) FROM people WHERE email = 'old@t') +
    (SELECT count(*) FROM jobs WHERE done_at < now() - interval '30 days'))::int,
    0, 'and those rows are gone');

-- -- The job worker's role: nothing more ------------------------------------
SET LOCAL ROLE chapterhouse_worker;
SELECT throws_ok($$SELECT password_hash FROM people$$, '42501', NULL,
    'worker: reading password hashes is denied');
SELECT throws_ok($$SELECT email FROM people$$, '42501', NULL,
    'worker: reading addresses is denied');
SELECT throws_ok($$SELECT token_hash FROM sessions$$, '42501', NULL,
    'worker: reading session hashes is denied');
SELECT throws_ok($$UPDATE people SET name = 'x'$$, '42501', NULL,
    'worker: changing people is denied');
SELECT throws_ok($$INSERT INTO hub_roles (person_id, role)
    SELECT ann, 'admin' FROM ids$$, '42501', NULL,
    'worker: granting hub roles is denied');
SELECT throws_ok($$SELECT count(*) FROM units$$, '42501', NULL,
    'worker: reading units is denied');
SELECT throws_ok($$SELECT count(*) FROM reminder_digests$$, '42501', NULL,
    'worker: reading reminder_digests directly is denied');
RESET ROLE;
SELECT is((SELECT string_agg(c.relname || ':' || a.privilege_type, ','
    ORDER BY c.relname, a.privilege_type) FROM pg_class c,
    aclexplode(c.relacl) a WHERE a.grantee = 'chapterhouse_worker'::regrole
    AND c.relnamespace = 'public'::regnamespace),
    'email_tokens:DELETE,jobs:DELETE,jobs:INSERT,jobs:SELECT,jobs:UPDATE,'
    'login_failures:DELETE,mail_cooldowns:DELETE,people:DELETE,'
    'sessions:DELETE',
    'worker: every table privilege it holds is listed here');
SELECT is((SELECT string_agg(c.relname || '.' || t.attname || ':' ||
    a.privilege_type, ',' ORDER BY c.relname, t.attname) FROM pg_attribute t
    JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
    WHERE a.grantee = 'chapterhouse_worker'::regrole),
    'email_tokens.created_at:SELECT,email_tokens.expires_at:SELECT,'
    'email_tokens.person_id:SELECT,email_tokens.purpose:SELECT,'
    'email_tokens.used_at:SELECT,login_failures.at:SELECT,'
    'mail_cooldowns.sent_at:SELECT,'
    'people.confirmed_at:SELECT,people.created_at:SELECT,people.id:SELECT,'
    'sessions.created_at:SELECT,sessions.last_seen_at:SELECT',
    'worker: every column it may read is listed here');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ',' ORDER BY
    p.oid::regprocedure::text) FROM pg_proc p
    WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace
    AND p.prorettype <> 'trigger'::regtype
    AND has_function_privilege('chapterhouse_worker', p.oid, 'EXECUTE')),
    'ch_claim_reminders(interval),'
    'ch_guide_links_record(bigint,bigint,integer,jsonb),'
    'ch_publish_due(integer),'
    'ch_training_claim_reminders(boolean,integer,boolean)',
    'worker: the only definer functions it may call are ch_claim_reminders, '
    'ch_guide_links_record, ch_publish_due and ch_training_claim_reminders');

-- -- The command line's role ------------------------------------------------
SET LOCAL ROLE chapterhouse_cli;
SELECT lives_ok($$INSERT INTO hub_roles (person_id, role)
    SELECT ann, 'hr' FROM ids$$, 'cli: grants a hub role');
SELECT lives_ok($$DELETE FROM hub_roles
    WHERE person_id = (SELECT ann FROM ids) AND role = 'hr'$$,
    'cli: removes a hub role');
SELECT lives_ok($$UPDATE people SET confirmed_at = now()
    WHERE id = (SELECT ann FROM ids)$$, 'cli: confirms an account');
SELECT lives_ok($$DELETE FROM sessions WHERE person_id = (SELECT ann FROM ids)
    AND token_hash <> '\x00'::bytea$$, 'cli: ends a person''s sessions');
SELECT throws_ok($$SELECT payload FROM jobs$$, '42501', NULL,
    'cli: reading mail payloads is denied');
SELECT throws_ok($$DELETE FROM people$$, '42501', NULL,
    'cli: deleting people is denied');
SELECT throws_ok($$SELECT * FROM ch_claim_reminders(interval '1 hour')$$,
    '42501', NULL, 'cli: claiming reminder digests is denied');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
