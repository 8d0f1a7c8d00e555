-- 011_process_roles.sql: least privilege per process.  Until now the web
-- server, the job worker and "chapterhouse user" all acted as
-- chapterhouse_web, which therefore held what each of them needed.  Now
-- each process has its own group role, created like chapterhouse_web
-- (001_foundation.sql): it owns nothing, is no superuser and cannot bypass
-- row-level security; login roles are made members of one group each.
--
--   chapterhouse_web     the FastCGI workers (configuration: database)
--   chapterhouse_worker  the job worker (worker_database)
--   chapterhouse_cli     "chapterhouse user" (cli_database)
--
-- migrate runs as the schema owner (migrate_database), as before.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles
	    WHERE rolname = 'chapterhouse_worker') THEN
		CREATE ROLE chapterhouse_worker NOLOGIN NOSUPERUSER NOCREATEDB
		    NOCREATEROLE NOREPLICATION NOBYPASSRLS;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles
	    WHERE rolname = 'chapterhouse_cli') THEN
		CREATE ROLE chapterhouse_cli NOLOGIN NOSUPERUSER NOCREATEDB
		    NOCREATEROLE NOREPLICATION NOBYPASSRLS;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO chapterhouse_worker, chapterhouse_cli;

-- The web role: what it held only for the other two processes goes.
--
-- Hub roles are granted from the command line only; the web reads them.
REVOKE INSERT, DELETE ON hub_roles FROM chapterhouse_web;
-- No page deletes a person or an e-mail token (a used token is marked
-- used_at); removing expired ones is the worker's housekeeping.
REVOKE DELETE ON people, email_tokens FROM chapterhouse_web;
-- A mail job's payload holds the mail's text, confirmation and reset
-- links included, until it is sent: the web queues mail and reads
-- nothing back.  An INSERT without RETURNING needs no SELECT.
REVOKE ALL ON jobs FROM chapterhouse_web;
GRANT INSERT (kind, payload) ON jobs TO chapterhouse_web;
-- Reminder digests are the worker's.
REVOKE EXECUTE ON FUNCTION ch_claim_reminders(interval) FROM chapterhouse_web;

-- The job worker: the queue, housekeeping and reminders, nothing else.
-- It claims, settles and sweeps jobs, and queues reminder digests.
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO chapterhouse_worker;
-- Housekeeping deletes expired rows.  A DELETE's WHERE needs SELECT on
-- the columns it reads, and only those are granted: the worker never
-- reads a token hash, a password hash, an address or a name.
GRANT SELECT (last_seen_at, created_at), DELETE ON sessions
    TO chapterhouse_worker;
GRANT SELECT (person_id, purpose, created_at, expires_at, used_at), DELETE
    ON email_tokens TO chapterhouse_worker;
GRANT SELECT (at), DELETE ON login_failures TO chapterhouse_worker;
-- Accounts never confirmed are removed once their link expired.
GRANT SELECT (id, confirmed_at, created_at), DELETE ON people
    TO chapterhouse_worker;
-- Mail cooldowns (009_account_guards.sql) are forgotten after a day.
GRANT SELECT (sent_at), DELETE ON mail_cooldowns TO chapterhouse_worker;
-- The digests read units, memberships and people through this definer
-- function only (007_reminders.sql); the worker has no policy on units.
GRANT EXECUTE ON FUNCTION ch_claim_reminders(interval)
    TO chapterhouse_worker;

-- The command line: create or update an account, confirm it, grant hub
-- roles, end the person's sessions, and make the one-time link to choose
-- a password.
GRANT SELECT, INSERT, UPDATE ON people TO chapterhouse_cli;
GRANT SELECT, INSERT, DELETE ON hub_roles TO chapterhouse_cli;
GRANT SELECT (token_hash, person_id), DELETE ON sessions TO chapterhouse_cli;
GRANT SELECT, INSERT, UPDATE ON email_tokens TO chapterhouse_cli;
