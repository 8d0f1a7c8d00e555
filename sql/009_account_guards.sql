-- 009_account_guards.sql: what the account guards need beyond 002.
--
-- mail_cooldowns remembers, per recipient and kind of mail, when the last
-- one was queued, so that a mail anyone can trigger for someone else's
-- address ("you already have an account", "failed logins on your
-- account") goes out at most once per period.  The handlers claim a send
-- with one INSERT ... ON CONFLICT DO UPDATE ... WHERE the period is over,
-- which row-locks the pair: two requests at once cannot both send.

CREATE TABLE mail_cooldowns (
	recipient	text NOT NULL CHECK (length(recipient) <= 254),
	kind		text NOT NULL
	    CHECK (kind IN ('account_exists', 'login_failures')),
	sent_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mail_cooldowns_key ON mail_cooldowns (lower(recipient), kind);

-- Failed logins are now counted per (account, client address) too.
CREATE INDEX login_failures_pair ON login_failures (lower(email), address, at);

-- The web role (and the job worker, which logs in the same way) claims
-- and forgets cooldowns.
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_cooldowns TO chapterhouse_web;
