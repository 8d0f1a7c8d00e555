-- 002_accounts.sql: people, their sessions and one-time tokens, hub roles,
-- the use rules and their acceptance, failed-login counting, and the job
-- queue that carries outgoing e-mail.
--
-- These tables belong to the hub, not to a unit: there is no unit_id and
-- so no row-level security here; the web role gets exactly the privileges
-- listed at the end.  Secrets are never stored: sessions and e-mail
-- tokens keep only the SHA-256 of the random value the person holds.

CREATE TABLE people (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL
	    CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	password_hash	text NOT NULL,
	confirmed_at	timestamptz,
	password_changed_at timestamptz NOT NULL DEFAULT now(),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));

-- Hub-wide roles; a person may hold several.
CREATE TABLE hub_roles (
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	role		text NOT NULL
	    CHECK (role IN ('admin', 'communicator', 'hr')),
	granted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_id, role)
);

-- A session is the SHA-256 of a 256-bit random token held in a cookie.
CREATE TABLE sessions (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	address		text,
	user_agent	text CHECK (length(user_agent) <= 512)
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- Single-use links sent by e-mail: address confirmation, password reset.
CREATE TABLE email_tokens (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	purpose		text NOT NULL CHECK (purpose IN ('confirm', 'reset')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX email_tokens_person ON email_tokens (person_id, purpose);

-- The hub's use rules, one row per published version (markdown).
CREATE TABLE use_rules (
	version		integer PRIMARY KEY CHECK (version > 0),
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
	published_at	timestamptz NOT NULL DEFAULT now(),
	published_by	bigint REFERENCES people ON DELETE SET NULL
);

CREATE TABLE use_rule_acceptances (
	person_id	bigint NOT NULL REFERENCES people ON DELETE CASCADE,
	version		integer NOT NULL REFERENCES use_rules,
	accepted_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (person_id, version)
);

-- Failed logins, counted per account and per client address.
CREATE TABLE login_failures (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL,
	address		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (lower(email), at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- The job queue.  A job is claimed by setting state 'running' and a lease;
-- a worker that dies leaves the lease to expire and the job is claimed
-- again (at-least-once delivery).
CREATE TABLE jobs (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('mail')),
	payload		jsonb NOT NULL,
	state		text NOT NULL DEFAULT 'queued'
	    CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	run_at		timestamptz NOT NULL DEFAULT now(),
	lease_until	timestamptz,
	locked_by	text,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	done_at		timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('queued', 'running');

-- Wake sleeping workers (LISTEN chapterhouse_jobs) when jobs arrive; the
-- notification is delivered at COMMIT, so a worker never sees a job
-- before it exists.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('chapterhouse_jobs', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

-- What the web role (and the job worker, which logs in the same way) may
-- do.  Use rules and acceptances are append-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON people, sessions, email_tokens,
    login_failures TO chapterhouse_web;
GRANT SELECT, INSERT, DELETE ON hub_roles TO chapterhouse_web;
GRANT SELECT, INSERT ON use_rules, use_rule_acceptances TO chapterhouse_web;
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO chapterhouse_web;
